#!/usr/bin/env python3
"""Trustees at the tally laptop's terminal: `tally count --share ...` asks each share's
passphrase on the terminal, naming the share and its trustee; a mistyped passphrase is asked
again (the same share named), three wrong ones stop the count; the count with the right ones
equals the count with the whole key.
usage: tally_shares_tty.py TALLY GEN KEYS"""
import os, pty, select, shutil, subprocess, sys, tempfile

TALLY, GEN, KEYS = sys.argv[1:4]
W = tempfile.mkdtemp()


def fail(msg):
    print("FAIL:", msg)
    shutil.rmtree(W, ignore_errors=True)
    sys.exit(1)


def run(args):
    r = subprocess.run(args, cwd=E, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"{args[1]}: {r.stdout}{r.stderr}")
    return r.stdout


def at_terminal(args, answers):
    """Runs args with a terminal; each time `prompt` appears, types `reply`. Returns the exit
    code, what the terminal showed (the prompts) and what the program wrote on its standard
    output and error (kept in a file: a terminal may lose the last output of a program that
    has just exited)."""
    log = os.path.join(W, "terminal-run.out")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(E)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.execv(args[0], args)
    seen, pos, pending = b"", 0, list(answers)
    while True:
        r, _, _ = select.select([fd], [], [], 120)
        if not r:
            os.kill(pid, 9)
            fail(f"no answer from the terminal; so far: {seen.decode(errors='replace')}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        while pending:  # each prompt is looked for after the one answered before it
            at = seen.find(pending[0][0].encode(), pos)
            if at < 0:
                break
            prompt, reply = pending.pop(0)
            pos = at + len(prompt.encode())
            os.write(fd, reply.encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    if pending:
        fail(f"never asked {pending[0][0]!r}; the terminal showed: {seen.decode(errors='replace')}")
    with open(log, encoding="utf-8") as f:
        printed = f.read()
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace"), printed


E = os.path.join(W, "e")
subprocess.run([GEN, "gen", E, "--kiosks", "1", "--ballots", "12", "--jobs", "1"], check=True,
               capture_output=True)
run([TALLY, "import", "--db", "t.sqlite", "--package", "election.pkg", "--authority", "auth.pub"]
    + sorted(os.path.join("bundles", b) for b in os.listdir(os.path.join(E, "bundles"))))
whole = run([TALLY, "count", "--db", "t.sqlite", "--tally-key", "tally.key", "--passphrase-file",
             "pp", "--format", "csv"])
for i in range(1, 4):
    with open(os.path.join(E, f"p{i}"), "w") as f:
        f.write(f"passphrase of trustee {i}\n")
run([KEYS, "split", "tally.key", "tr", "--trustees", "2-of-3", "--passphrase-file", "pp",
     "--cost", "interactive", "--trustee", "Ana", "--trustee", "Bram", "--trustee", "Chloé",
     "--share-passphrase-file", "p1", "--share-passphrase-file", "p2",
     "--share-passphrase-file", "p3"])
os.unlink(os.path.join(E, "tally.key"))

# a typo, then the right passphrase; the count equals the whole key's
count = [TALLY, "count", "--db", "t.sqlite", "--share", "tr-3.share", "--share", "tr-1.share",
         "--format", "csv"]
code, shown, out = at_terminal(count, [
    ("Passphrase of share 3 of 3 (Chloé, tr-3.share): ", "passphrase of trustee 2"),
    ("Wrong passphrase; type it again for share 3 of 3 (Chloé, tr-3.share): ",
     "passphrase of trustee 3"),
    ("Passphrase of share 1 of 3 (Ana, tr-1.share): ", "passphrase of trustee 1"),
])
if code != 0:
    fail(f"the count at the terminal failed: {out}")
if "passphrase of trustee" in shown:
    fail("a passphrase was echoed")
lines = out.split("\n")
want = [l for l in whole.split("\n") if l]
start = lines.index(want[0]) if want[0] in lines else -1
if start < 0 or lines[start:start + len(want)] != want:
    fail(f"the terminal count differs from the whole key's:\n{out}\n---\n{whole}")

# three wrong passphrases stop the count, naming the share
code, shown, out = at_terminal(count, [
    ("Passphrase of share 3 of 3 (Chloé, tr-3.share): ", "no"),
    ("again for share 3 of 3 (Chloé, tr-3.share): ", "still no"),
    ("again for share 3 of 3 (Chloé, tr-3.share): ", "nope"),
])
if code != 1 or "the passphrase is wrong for share 3 of 3 (Chloé, tr-3.share)" not in out:
    fail(f"three wrong passphrases: exit {code}, {out}")
if "Ana" in shown:
    fail("asked the next share after giving up")
shutil.rmtree(W, ignore_errors=True)
print("1 passed, 0 failed")
