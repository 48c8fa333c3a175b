"""What the deploy tests share: running a program, and failures that say what to fix."""

import subprocess
import sys


class Checks:
    """Collects failed expectations; `done` prints them and gives the exit code."""

    def __init__(self):
        self.count = 0
        self.failures = []

    def expect(self, ok, message):
        self.count += 1
        if not ok:
            self.failures.append(message)
            print("FAIL: " + message, file=sys.stderr, flush=True)
        return ok

    def done(self):
        if self.failures:
            print(f"{len(self.failures)} of {self.count} checks failed", file=sys.stderr)
            return 1
        print(f"all {self.count} checks passed")
        return 0


def run(args, timeout=60, **kwargs):
    """Runs `args` to completion, capturing text output; a hang is an error, not a wait."""
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)


def tail(text, lines=15):
    """The end of a program's output, indented, for a failure message."""
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])
