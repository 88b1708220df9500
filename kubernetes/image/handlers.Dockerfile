# A carrier of handler bundles: the init container of kubernetes/plinth-deployment.yaml copies its /bundles/*.jar
# into the pod's deploy/ before Plinth starts. The build context is a folder holding the jars, for example the
# example handler:
#
#   mvn -B -DskipTests package
#   docker build -f kubernetes/image/handlers.Dockerfile -t plinth-handlers:0.1.0 distribution/example-hello/target
#
# A new set of handlers is a new tag of this image, named in the Deployment and rolled out pod by pod.
FROM busybox:1.36
COPY *.jar /bundles/
USER 10001:10001
