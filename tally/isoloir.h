/*
 * isoloir — the tally's commands for isoloir elections: `verify` checks export bundles (or
 * bare journal files) against the signed package, `count` decrypts the ballots with the tally
 * key and counts every ballot definition with the package's method.
 */
#ifndef ISOLOIR_TALLY_ISOLOIR_H
#define ISOLOIR_TALLY_ISOLOIR_H

int cmd_verify(int argc, char **argv);
int cmd_count(int argc, char **argv);

#endif
