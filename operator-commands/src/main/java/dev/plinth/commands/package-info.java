/**
 * The operator's commands for the Gogo shell, scope {@code plinth}: {@code plinth:handlers} (the routing table),
 * {@code plinth:explain PATH [HOST]} (which handler a path goes to, and why each other one lost),
 * {@code plinth:connections} (each listener's open connections) and {@code plinth:stats} (each listener's counters).
 *
 * <p>{@link dev.plinth.commands.PlinthCommands} is a plain service with the properties {@code osgi.command.scope}
 * and {@code osgi.command.function}, which Gogo's runtime looks for; nothing here needs Gogo to compile or to start.
 * The distribution ships this bundle beside the shell, in {@code bundles/shell/}, so it runs exactly when the shell
 * does. Private to the bundle: nothing is exported, and no other bundle depends on it.
 */
package dev.plinth.commands;
