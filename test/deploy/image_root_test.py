#!/usr/bin/env python3
"""ctest deploy_image_root_runs: the image's build stage (tools/container/build-image-root.sh,
which deploy/Dockerfile runs) run outside Docker into a temporary directory, the tree the
runtime stage copies. The programs run, the sample configuration and the docs are there, and
every library the programs load comes from a package of tools/container/runtime-packages.txt
or from one of those packages' dependencies (apt installs those with them).

Usage: image_root_test.py SOURCE_DIR
"""

import json
import os
import re
import sys
import tempfile
from pathlib import Path

from checks import Checks, run, tail

PREFIX = "usr/local"


def listed_packages(source):
    text = (source / "tools/container/runtime-packages.txt").read_text()
    return [line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()]


def loaded_libraries(binary):
    """Every shared library ldd lists for `binary` (the loader and the vDSO aside): path, or
    the name followed by "not found"."""
    out = run(["ldd", str(binary)]).stdout
    return sorted(set(re.findall(r"=> (/\S+|not found)", out)))


def package_of(library):
    """The Debian package holding `library`, trying both sides of the /usr merge."""
    alternatives = [library, library[4:] if library.startswith("/usr/") else "/usr" + library]
    for path in alternatives + [os.path.realpath(library)]:
        found = run(["dpkg", "-S", path])
        if found.returncode == 0:
            return found.stdout.split(":")[0].split(",")[0].strip()
    return None


def installed(package):
    status = run(["dpkg-query", "-W", "-f=${Status}", package])
    return status.returncode == 0 and "install ok installed" in status.stdout


def with_dependencies(packages):
    """`packages` and everything they depend on (Depends, Pre-Depends) that is installed here."""
    closure, todo = set(), list(packages)
    while todo:
        package = todo.pop()
        if package in closure or not installed(package):
            continue
        closure.add(package)
        fields = run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", package]).stdout
        for alternative in re.split(r"[,|]", fields):
            name = alternative.strip().split(" ")[0].split(":")[0]
            if name:
                todo.append(name)
    return closure


def main(source):
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="ovo-image-root-") as scratch:
        root = Path(scratch) / "root"
        built = run([str(source / "tools/container/build-image-root.sh"), str(root)], timeout=550)
        if not checks.expect(built.returncode == 0,
                             f"build-image-root.sh exited {built.returncode}:\n"
                             + tail(built.stdout + built.stderr)):
            return checks.done()
        bin_dir = root / PREFIX / "bin"
        version = run([str(bin_dir / "ovo"), "--version"])
        checks.expect(version.returncode == 0 and version.stdout.startswith("ovo "),
                      f"the installed ovo --version answered {version.returncode}: "
                      f"{version.stdout}{version.stderr}")
        # ovoctl has no --version; --help proves it starts with the image's libraries.
        usage = run([str(bin_dir / "ovoctl"), "--help"])
        checks.expect(usage.returncode == 0 and "leave NODE" in usage.stdout,
                      f"the installed ovoctl --help answered {usage.returncode}: {usage.stderr}")
        sample = root / PREFIX / "share/ovo/serverconf.json"
        checks.expect(sample.is_file() and json.loads(sample.read_text())
                      == json.loads((source / "conf/serverconf.json").read_text()),
                      f"{sample} is not conf/serverconf.json")
        for doc in ["README.md", "docs/protocol.md", "docs/cluster.md", "docs/security.md"]:
            checks.expect((root / PREFIX / "share/doc/ovo" / doc).is_file(),
                          f"{doc} is not installed under {PREFIX}/share/doc/ovo")
        listed = listed_packages(source)
        for package in listed:
            checks.expect(installed(package), f"runtime-packages.txt lists {package}, which is "
                          "not an installed Debian package here (misspelt?)")
        provided = with_dependencies(listed)
        for program in ["ovo", "ovoctl"]:
            for library in loaded_libraries(bin_dir / program):
                if not checks.expect(library != "not found", f"ldd {program}: a library is "
                                     "not found on this machine"):
                    continue
                package = package_of(library)
                checks.expect(package in provided,
                              f"{program} loads {library} (package {package}), which neither a "
                              "package of tools/container/runtime-packages.txt nor their "
                              "dependencies provide: add the package that holds it")
    return checks.done()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
