// Mirrors org.kohsuke.stapler:stapler 2050.v425108fd5089 (the version jenkins-core 2.541.3 uses), type
// org.kohsuke.stapler.QueryParameter.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.kohsuke.stapler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@Documented
public @interface QueryParameter {
    String value() default "";
}
