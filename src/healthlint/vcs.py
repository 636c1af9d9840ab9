"""Git helpers: which articles changed since a ref (for checking pull requests)."""

from __future__ import annotations

import os
from pathlib import Path

from healthlint.config import UsageError


def changed_files(ref: str, cwd: Path | None = None) -> set[str]:
    """Real paths of files added, copied, modified or renamed since ``ref`` (committed or not), plus untracked.

    :raises UsageError: outside a git repository, without git, or for an unknown ref.
    """
    import subprocess  # only --diff runs pay for importing it

    folder = cwd or Path.cwd()

    def git(*args: str) -> str:
        try:
            proc = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise UsageError("--diff needs git, which is not installed") from None
        if proc.returncode != 0:
            detail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"git exited {proc.returncode}"
            raise UsageError(f"--diff {ref}: {detail}")
        return proc.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    try:
        git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except UsageError:
        raise UsageError(f"--diff {ref}: not a commit in this repository") from None
    names = git("diff", "--name-only", "-z", "--diff-filter=ACMR", ref, "--").split("\0")
    names += git("ls-files", "--others", "--exclude-standard", "--full-name", "-z").split("\0")
    return {os.path.realpath(top / name) for name in names if name}
