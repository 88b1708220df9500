/** Plinth embedded in a plain Java program: a folder and one handler served without OSGi. */
module dev.plinth.example.embedding {
    requires dev.plinth.http.transport;
    requires dev.plinth.handlers.statics;
}
