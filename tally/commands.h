/*
 * commands — the tally's commands for isoloir elections (docs/tally.md):
 *   verify   checks export bundles (or bare journal files) against the signed package, each
 *            on its own and together (exports of one kiosk must extend each other; no ballot
 *            or voter card may appear at two kiosks);
 *   import   merges them into a tally database, refusing a source with problems unless an
 *            override is given (logged);
 *   count    decrypts the ballots with the tally key and counts every ballot definition with
 *            the package's method, from a tally database or from sources given directly;
 *   tracking writes the published list of tracking codes with their ciphertext hashes.
 */
#ifndef ISOLOIR_TALLY_COMMANDS_H
#define ISOLOIR_TALLY_COMMANDS_H

int cmd_verify(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_count(int argc, char **argv);
int cmd_tracking(int argc, char **argv);

#endif
