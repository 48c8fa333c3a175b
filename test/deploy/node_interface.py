"""What the real node and ovoctl accept: their --help, the naming rule from a setting to its
variable, and the node's effective configuration (--print-config) for a container."""

import json
import os
import re
import tempfile
from dataclasses import dataclass

from checks import run, tail


def words_of(key):
    """CamelCase words, acronyms kept whole: ClusterCAFile -> Cluster, CA, File."""
    return re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|\d+", key)


def variable_for(key):
    return "OVO_" + "_".join(words_of(key)).upper()


def settings_by_variable(config):
    """Where each OVO_* variable shows in --print-config's output: name -> (path, value)."""
    out = {variable_for(key): (f"ServerNode.Node.{key}", value)
           for key, value in config["ServerNode"]["Node"].items()}
    for key in ("Twins", "Stepbrothers"):
        out[variable_for(key)] = (f"ServerNode.{key}", config["ServerNode"][key])
    out["OVO_TOPOLOGY_NODES"] = ("Topology.Nodes", config["Topology"]["Nodes"])
    out["OVO_DEBUG"] = ("Debug", config["Debug"])
    out.update({variable_for(key): (f"Settings.{key}", value)
                for key, value in config["Settings"].items()})
    return out


def has_effect(text, shown):
    """Whether a variable's text is what --print-config shows for it."""
    if isinstance(shown, bool):  # the spellings `ovo --help` accepts
        return text in (("true", "1", "yes", "on") if shown else ("false", "0", "no", "off"))
    if isinstance(shown, int):
        return re.fullmatch(r"-?\d+", text) is not None and int(text) == shown
    if isinstance(shown, str):
        return text == shown
    if shown and isinstance(shown[0], dict):  # Topology.Nodes: every field given is shown
        given = json.loads(text)
        return len(given) == len(shown) and all(
            all(shown[i]["Node"].get(k) == v for k, v in entry["Node"].items())
            for i, entry in enumerate(given))
    return [name.strip() for name in text.split(",") if name.strip()] == shown


def mentions(help_text, word):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", help_text) is not None


@dataclass
class Programs:
    ovo: str
    ovoctl: str
    ovo_help: str
    ovoctl_help: str
    ovoctl_commands: set
    ovoctl_valued: set  # ovoctl options that take a value


def programs(ovo, ovoctl, checks):
    ovo_help = run([ovo, "--help"])
    checks.expect(ovo_help.returncode == 0, f"ovo --help exited {ovo_help.returncode}")
    ctl_help = run([ovoctl, "--help"])
    checks.expect(ctl_help.returncode == 0, f"ovoctl --help exited {ctl_help.returncode}")
    options, _, commands = ctl_help.stdout.partition("commands:")
    return Programs(ovo, ovoctl, ovo_help.stdout, ctl_help.stdout,
                    set(re.findall(r"^  ([a-z][a-z-]*)", commands, re.M)),
                    set(re.findall(r"(--[a-z-]+) [A-Z]", options)))


def node_bounds(source):
    """Seconds a leave may take and a drain takes (config/defaults.hpp)."""
    text = (source / "config/defaults.hpp").read_text()
    leave = int(re.search(r"leave_timeout = std::chrono::seconds\((\d+)\)", text).group(1))
    drain = int(re.search(r"drain_timeout = std::chrono::milliseconds\((\d+)\)", text).group(1))
    return leave, drain / 1000


def print_config(programs, container, checks):
    """The node's effective configuration for `container` (in an empty working directory)."""
    with tempfile.TemporaryDirectory(prefix="ovo-print-config-") as cwd:
        answer = run([programs.ovo] + container.argv[1:] + ["--print-config"],
                     env={"PATH": os.environ["PATH"], **container.env}, cwd=cwd)
    if not checks.expect(answer.returncode == 0,
                         f"{container.where}: ovo --print-config with its variables exited "
                         f"{answer.returncode}:\n{tail(answer.stdout + answer.stderr)}"):
        return None
    try:
        return json.loads(answer.stdout)
    except json.JSONDecodeError as error:
        checks.expect(False, f"{container.where}: --print-config printed no JSON ({error})")
        return None
