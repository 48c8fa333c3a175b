"""Reading deploy/: the Dockerfile's runtime stage, YAML files, and each container as the
node will see it (the image's variables, then the container's; the program and its flags)."""

import json
import os
import re
import shlex
from dataclasses import dataclass, field

import yaml

NAMESPACE = "ns-under-test"  # what metadata.namespace gives the pods here


@dataclass
class Image:
    """The runtime stage of deploy/Dockerfile, and the stages before it."""
    entrypoint: list = field(default_factory=list)
    cmd: list = field(default_factory=list)
    env: dict = field(default_factory=dict)
    workdir: str = "/"
    volumes: list = field(default_factory=list)
    user: str = ""
    expose: set = field(default_factory=set)
    build_stages: str = ""  # every instruction before the runtime stage's FROM
    runtime_stage: str = ""


def read_dockerfile(path, checks):
    text = re.sub(r"\\\n", " ", path.read_text())
    instructions = [line.strip() for line in text.splitlines()
                    if line.strip() and not line.strip().startswith("#")]
    last_from = max(i for i, line in enumerate(instructions) if line.upper().startswith("FROM "))
    image = Image(build_stages="\n".join(instructions[:last_from]),
                  runtime_stage="\n".join(instructions[last_from:]))
    for line in instructions[last_from:]:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword in ("ENTRYPOINT", "CMD"):
            words = json.loads(rest) if rest.startswith("[") else None
            checks.expect(words is not None, f"{path}: {keyword} must use the JSON form")
            setattr(image, keyword.lower(), words or [])
        elif keyword == "ENV":
            for item in shlex.split(rest):
                checks.expect("=" in item, f"{path}: ENV must use the KEY=VALUE form: {item}")
                image.env.update([item.split("=", 1)])
        elif keyword == "WORKDIR":
            image.workdir = os.path.join(image.workdir, rest)
        elif keyword == "VOLUME":
            image.volumes += json.loads(rest) if rest.startswith("[") else rest.split()
        elif keyword == "USER":
            image.user = rest
        elif keyword == "EXPOSE":
            image.expose |= {int(port.split("/")[0]) for port in rest.split()}
    return image


def read_yaml(path, checks):
    """The documents of `path`; none (and a failure) when it does not parse."""
    try:
        return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
    except yaml.YAMLError as error:
        checks.expect(False, f"{path} does not parse: {error}")
        return []


@dataclass
class Container:
    where: str        # "pod ovo-1", "compose service node1"
    env: dict         # the image's variables, then the container's, expanded
    argv: list        # what runs: the image's entrypoint and command or the container's
    ports: dict       # port name (or number as text) -> container port
    config: dict = None  # --print-config's answer


def expand(value, defined, where, checks):
    """Kubernetes' $(VAR) references to variables defined before; $$ escapes."""
    def substitute(match):
        if match.group(0).startswith("$$"):
            return match.group(0)[1:]
        name = match.group(1)
        checks.expect(name in defined, f"{where}: $({name}) names no variable defined before it")
        return defined.get(name, match.group(0))
    return re.sub(r"\$?\$\((\w+)\)", substitute, value)


def pod_container(image, pod_spec, pod_name, checks):
    spec = pod_spec["containers"][0]
    where = f"pod {pod_name}"
    env = dict(image.env)
    raw = " ".join(str(item.get("value", "")) for item in spec.get("env", []))
    for item in spec.get("env", []):
        checks.expect(item["name"].startswith("OVO") or f"$({item['name']})" in raw,
                      f"{where}: {item['name']} is neither the node's nor used by another variable")
        if "value" in item:
            env[item["name"]] = expand(str(item["value"]), env, where, checks)
        else:
            path = item["valueFrom"]["fieldRef"]["fieldPath"]
            known = {"metadata.name": pod_name, "metadata.namespace": NAMESPACE}
            checks.expect(path in known, f"{where}: {item['name']} from {path}, unknown here")
            env[item["name"]] = known.get(path, "")
    argv = spec.get("command", image.entrypoint) + spec.get(
        "args", [] if "command" in spec else image.cmd)
    ports = {}
    for port in spec.get("ports", []):
        ports[str(port["containerPort"])] = port["containerPort"]
        if "name" in port:
            ports[port["name"]] = port["containerPort"]
    return Container(where, env, argv, ports)


def command_words(command):
    """A compose command as a list, whichever form it was given in."""
    return shlex.split(command) if isinstance(command, str) else command


def compose_container(image, name, service, checks):
    where = f"compose service {name}"
    given = service.get("environment", {})
    if isinstance(given, list):
        given = dict(item.split("=", 1) for item in given)
    for key, value in given.items():
        checks.expect("$" not in str(value),
                      f"{where}: {key} uses $, which compose takes from the host's environment")
    env = {**image.env, **{key: str(value) for key, value in given.items()}}
    argv = command_words(service.get("entrypoint", image.entrypoint)) + command_words(
        service.get("command", image.cmd))
    ports = {}
    for mapping in service.get("ports", []):
        inside = int(str(mapping).split(":")[-1].split("/")[0])
        ports[str(inside)] = inside
    return Container(where, env, argv, ports)


def pre_stop(spec):
    return spec.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
