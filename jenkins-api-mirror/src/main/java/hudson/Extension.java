// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.Extension.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD})
public @interface Extension {}
