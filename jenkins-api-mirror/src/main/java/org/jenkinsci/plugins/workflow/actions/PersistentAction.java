// Mirrors org.jenkins-ci.plugins.workflow:workflow-api 1413.v2ff1a_5e720fa_ (bom-2.541.x 6916.v15ec97679743; signatures
// checked against its master of 2026-06-29), type org.jenkinsci.plugins.workflow.actions.PersistentAction.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.jenkinsci.plugins.workflow.actions;

import hudson.model.Action;

public interface PersistentAction extends Action {}
