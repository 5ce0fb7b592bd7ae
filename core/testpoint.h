/*
 * testpoint: named instants at which a test can stop axl on purpose.
 *
 * With AXL_TEST_STOP=NAME in its environment, axl stops itself
 * (SIGSTOP) when it reaches the instant NAME, so that a test can kill
 * it, or let it go on, exactly there instead of at a random moment.
 * Without it, a testpoint costs one getenv().  Names are listed where
 * they are reached (grep testpoint); axl(1) lists them under ENVIRONMENT.
 */
#ifndef AXL_TESTPOINT_H
#define AXL_TESTPOINT_H

/* Stop this process if AXL_TEST_STOP names this instant. */
void testpoint(const char *name);

#endif
