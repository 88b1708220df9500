/**
 * Checks a component's configuration against the annotation type that describes it (the one its metatype comes
 * from) before the component uses it: unknown keys and values of the wrong type are refused with one line that
 * names the PID, the key and the value, so that the component can keep its previous configuration instead of
 * failing with a stack trace.
 */
@Export
@Version("1.0.0")
package dev.plinth.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
