/** Pipeline steps that upgrade a Mastodon server through the flow-upgrade engine: a thin adapter, no logic of its own. */
package io.github.flowupgrade.jenkins;
