#!/usr/bin/env python3
"""ctest deploy_manifests_match_node: what deploy/ (Dockerfile, compose.yaml, k8s/*.yaml) asks
of the node, checked against the real node and ovoctl.

- Every file parses; the Kubernetes objects fit together (the StatefulSet's serviceName is a
  headless Service, selectors match the pod labels, a PodDisruptionBudget, requests and limits).
- Every OVO_* variable and flag a container passes is one `ovo --help` lists, and has the
  intended effect: `ovo --print-config`, run with the container's variables (the image's, then
  its own, Kubernetes' $(VAR) references expanded), shows each value where the naming rule puts
  it (OVO_MAX_KEY_BYTES -> Settings.MaxKeyBytes). Ports, probes and the topology are then
  compared with that effective configuration.
- The StatefulSet's pods run for real on loopback (their variables, with each address swapped
  for 127.0.0.1 and free ports): the probes answer as docs/protocol.md says, <conf>.temp lands
  in the mounted volume, the preStop command makes a pod leave and stop, SIGTERM stops the rest
  within terminationGracePeriodSeconds.

Usage: manifests_test.py SOURCE_DIR OVO_BINARY OVOCTL_BINARY
"""

import os
import re
import sys
from pathlib import Path

from checks import Checks
from deploy_files import (NAMESPACE, compose_container, pod_container, pre_stop,
                          read_dockerfile, read_yaml)
from node_interface import (has_effect, mentions, node_bounds, print_config, programs,
                            settings_by_variable)
from pods_on_loopback import run_pods

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_container(programs, container, checks):
    """Every variable and flag is the node's and does what it says; the ports are the node's."""
    where = container.where
    checks.expect(os.path.basename(container.argv[0]) == "ovo" if container.argv else False,
                  f"{where}: runs {container.argv}, not ovo")
    for arg in container.argv[1:]:
        if arg.startswith("-"):
            flag = arg.split("=")[0]
            checks.expect(mentions(programs.ovo_help, flag),
                          f"{where}: passes {flag}, which ovo --help does not list")
    for name in container.env:
        if name.startswith("OVOCTL_"):
            checks.expect(mentions(programs.ovoctl_help, name),
                          f"{where}: sets {name}, which ovoctl --help does not list")
        elif name.startswith("OVO_"):
            checks.expect(mentions(programs.ovo_help, name),
                          f"{where}: sets {name}, which ovo --help does not list")
    container.config = print_config(programs, container, checks)
    if container.config is None:
        return
    shown = settings_by_variable(container.config)
    for name, text in container.env.items():
        # OVO_CONF's effect, where <conf>.temp lands, shows when the pods run.
        if name == "OVO_CONF" or not name.startswith("OVO_"):
            continue
        if not checks.expect(name in shown, f"{where}: {name} names no setting of the node "
                             f"(--print-config shows {sorted(shown)})"):
            continue
        path, value = shown[name]
        checks.expect(has_effect(text, value),
                      f"{where}: {name}={text!r}, but --print-config shows {path} = {value!r}")
    node = container.config["ServerNode"]["Node"]
    ports = set(container.ports.values())
    checks.expect(node["Port"] in ports and ports <= {node["Port"], node["APIPort"]},
                  f"{where}: exposes ports {sorted(ports)}, the node listens on Port "
                  f"{node['Port']} (REST) and APIPort {node['APIPort']}")


def address(node):
    return (node["Name"], node["Host"], node["Port"], node["APIPort"])


def check_topology(containers, expected_host, checks):
    """Each node lists exactly the nodes started (itself included) at the addresses they use."""
    selves = {address(c.config["ServerNode"]["Node"]) for c in containers if c.config}
    for container in containers:
        if not container.config:
            continue
        name, host = address(container.config["ServerNode"]["Node"])[:2]
        checks.expect(host == expected_host(name),
                      f"{container.where}: Host {host!r}, but its peers reach it as "
                      f"{expected_host(name)!r}")
        listed = {address(entry["Node"]) for entry in container.config["Topology"]["Nodes"]}
        checks.expect(listed == selves, f"{container.where}: Topology.Nodes {sorted(listed)}, "
                      f"but the nodes are {sorted(selves)}")


def one(objects, kind, checks, where, **condition):
    found = [o for o in objects if o["kind"] == kind
             and all(test(o) for test in condition.values())]
    checks.expect(len(found) == 1, f"{where}: expected one {kind} {list(condition)}, found "
                  f"{len(found)}")
    return found[0] if found else None


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_objects(objects, checks):
    """The StatefulSet, its headless Service, a client Service and the PodDisruptionBudget fit
    together; returns the StatefulSet."""
    where = "deploy/k8s"
    for obj in objects:
        checks.expect(all(k in obj for k in ("apiVersion", "kind", "metadata")),
                      f"{where}: an object lacks apiVersion, kind or metadata: {str(obj)[:80]}")
    sts = one(objects, "StatefulSet", checks, where)
    if sts is None:
        return None
    spec, labels = sts["spec"], sts["spec"]["template"]["metadata"]["labels"]
    headless = one(objects, "Service", checks, where,
                   headless=lambda o: o["spec"].get("clusterIP") == "None")
    checks.expect(headless is not None and headless["metadata"]["name"] == spec["serviceName"],
                  f"{where}: the StatefulSet's serviceName {spec['serviceName']!r} is not the "
                  "headless Service (clusterIP: None)")
    if headless:
        checks.expect(headless["spec"].get("publishNotReadyAddresses") is True,
                      f"{where}: the headless Service must publish not-ready addresses: a node "
                      "is ready only once it reaches its peers by these names")
    one(objects, "Service", checks, where, client=lambda o: o["spec"].get("clusterIP") != "None")
    pdb = one(objects, "PodDisruptionBudget", checks, where)
    checks.expect(pdb is not None and pdb["spec"].get("maxUnavailable") == 1,
                  f"{where}: the PodDisruptionBudget must allow one pod down at a time")
    checks.expect(selects(spec["selector"]["matchLabels"], labels),
                  f"{where}: the StatefulSet's selector does not match its pod labels")
    for obj in objects:
        if obj["kind"] in ("Service", "PodDisruptionBudget"):
            selector = obj["spec"]["selector"]
            checks.expect(selects(selector.get("matchLabels", selector), labels),
                          f"{where}: {obj['kind']} {obj['metadata']['name']}'s selector "
                          f"{selector} does not match the pod labels {labels}")
    checks.expect(spec.get("podManagementPolicy") == "Parallel",
                  f"{where}: pods must start in parallel (podManagementPolicy: Parallel): each "
                  "is ready only once it reaches a majority of the others")
    return sts


def check_pod_template(pod, image, bounds, checks):
    """Service links off, resources, a non-root read-only container, time enough to leave."""
    where = "deploy/k8s"
    checks.expect(pod.get("enableServiceLinks") is False,
                  f"{where}: enableServiceLinks must be false: Kubernetes would set variables "
                  "such as OVO_PORT=tcp://... for a Service named ovo, read as the node's own")
    container = pod["containers"][0]
    for need in ("requests", "limits"):
        given = container.get("resources", {}).get(need, {})
        checks.expect({"cpu", "memory"} <= set(given), f"{where}: no cpu and memory {need}")
    security = {**pod.get("securityContext", {}), **container.get("securityContext", {})}
    for key, value in [("runAsNonRoot", True), ("readOnlyRootFilesystem", True),
                       ("allowPrivilegeEscalation", False)]:
        checks.expect(security.get(key) == value, f"{where}: securityContext {key} should be "
                      f"{value}")
    checks.expect(re.fullmatch(r"[1-9]\d*(:\d+)?", image.user) is not None,
                  f"deploy/Dockerfile: USER {image.user!r} must be a non-zero uid for "
                  "runAsNonRoot")
    leave, drain = bounds
    grace = pod.get("terminationGracePeriodSeconds", 30)
    checks.expect(grace >= 2 * leave + drain,
                  f"{where}: terminationGracePeriodSeconds {grace} < preStop's leave ({leave} s) "
                  f"+ SIGTERM's leave ({leave} s) + drain ({drain} s)")


def check_kubernetes(objects, image, programs, bounds, checks):
    """Returns the StatefulSet's pods as containers, each checked against the node."""
    sts = check_objects(objects, checks)
    if sts is None:
        return []
    spec, pod = sts["spec"], sts["spec"]["template"]["spec"]
    check_pod_template(pod, image, bounds, checks)
    pods = [pod_container(image, pod, f"{sts['metadata']['name']}-{i}", checks)
            for i in range(spec["replicas"])]
    for c in pods:
        check_container(programs, c, checks)
    service = spec["serviceName"]
    check_topology(pods, lambda name: f"{name}.{service}.{NAMESPACE}.svc.cluster.local", checks)
    for obj in objects:
        if obj["kind"] == "Service":
            for port in obj["spec"]["ports"]:
                target = str(port.get("targetPort", port["port"]))
                checks.expect(target in pods[0].ports, f"deploy/k8s: Service "
                              f"{obj['metadata']['name']} targets {target}, no port of the pod")
    if pods[0].config:
        api_port = pods[0].config["ServerNode"]["Node"]["APIPort"]
        checks.expect(api_port in pods[0].ports.values(), f"deploy/k8s: the pod does not expose "
                      f"the cluster port {api_port}, which peers reach through the headless "
                      "Service")
    check_probes(pod["containers"][0], pods[0], checks)
    check_pre_stop(pod["containers"][0], pods[0], programs, checks)
    return pods


def check_probes(spec, pod, checks):
    if not pod.config:
        return
    node = pod.config["ServerNode"]["Node"]
    https = bool(pod.config["Settings"].get("RestCertFile"))
    for probe, path in [("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")]:
        get = spec.get(probe, {}).get("httpGet", {})
        checks.expect(get.get("path") == path, f"{pod.where}: {probe} GETs {get.get('path')}, "
                      f"not {path}")
        port = pod.ports.get(str(get.get("port")))
        checks.expect(port == node["Port"], f"{pod.where}: {probe} port {get.get('port')} is "
                      f"{port}, the node's REST Port is {node['Port']}")
        scheme = get.get("scheme", "HTTP")
        checks.expect(scheme == ("HTTPS" if https else "HTTP"),
                      f"{pod.where}: {probe} scheme {scheme}, but RestCertFile is "
                      f"{'set' if https else 'not set'}")


def check_pre_stop(spec, pod, programs, checks):
    """`ovoctl [options] leave ADDRESS` at this node's cluster port over loopback (without an
    admin token the node hands out its admin actor only over loopback)."""
    argv = pre_stop(spec)
    if not checks.expect(argv[:1] == [os.path.basename(programs.ovoctl)],
                         f"{pod.where}: preStop runs {argv}, not ovoctl"):
        return
    node_address = re.search(r"--node HOST:APIPORT.*?default (\S+?)\)", programs.ovoctl_help,
                             re.S)
    node_address = node_address.group(1) if node_address else "(ovoctl's default)"
    words, i = [], 1
    while i < len(argv):
        if argv[i].startswith("--") and not words:
            checks.expect(mentions(programs.ovoctl_help, argv[i]),
                          f"{pod.where}: preStop passes {argv[i]}, which ovoctl --help lacks")
            if argv[i] == "--node":
                node_address = argv[i + 1]
            i += 2 if argv[i] in programs.ovoctl_valued else 1
        else:
            words.append(argv[i])
            i += 1
    checks.expect(words[:1] == ["leave"] and "leave" in programs.ovoctl_commands,
                  f"{pod.where}: preStop runs ovoctl {words}, not its leave command")
    if not pod.config:
        return
    api_port = pod.config["ServerNode"]["Node"]["APIPort"]
    for target in [node_address] + words[1:]:
        host, _, port = target.rpartition(":")
        checks.expect(host in LOOPBACK and port == str(api_port),
                      f"{pod.where}: preStop addresses {target}, not this node's cluster port "
                      f"over loopback (127.0.0.1:{api_port})")


def check_compose(compose, image, programs, bounds, checks):
    where = "deploy/compose.yaml"
    services = compose.get("services", {})
    checks.expect(len(services) == 3, f"{where}: {len(services)} services, not 3 nodes")
    networks = {tuple(s.get("networks", [])) for s in services.values()}
    checks.expect(len(networks) == 1 and len(next(iter(networks))) == 1
                  and next(iter(networks))[0] in compose.get("networks", {}),
                  f"{where}: the nodes must share one declared network, they use {networks}")
    containers = []
    for name, service in services.items():
        checks.expect(service.get("build", {}).get("dockerfile") == "deploy/Dockerfile",
                      f"{where}: {name} is not built from deploy/Dockerfile")
        container = compose_container(image, name, service, checks)
        check_container(programs, container, checks)
        containers.append(container)
        leaves = container.config and container.config["Settings"]["LeaveOnShutdown"]
        grace = service.get("stop_grace_period", "10s")
        seconds = int(re.fullmatch(r"(\d+)s", grace).group(1))
        checks.expect(not leaves or seconds >= bounds[0] + bounds[1],
                      f"{where}: {name} stop_grace_period {grace} is shorter than SIGTERM's "
                      f"leave ({bounds[0]} s) and the drain")
    names = dict(zip((c.config["ServerNode"]["Node"]["Name"] for c in containers if c.config),
                     services))
    check_topology(containers, lambda node: names.get(node), checks)


def main(source, ovo, ovoctl):
    checks = Checks()
    deploy = source / "deploy"
    progs = programs(str(ovo), str(ovoctl), checks)
    bounds = node_bounds(source)
    image = read_dockerfile(deploy / "Dockerfile", checks)
    checks.expect("tools/container/build-image-root.sh" in image.build_stages,
                  "deploy/Dockerfile: the build stage must run tools/container/build-image-root.sh")
    checks.expect("tools/container/runtime-packages.txt" in image.runtime_stage,
                  "deploy/Dockerfile: the runtime stage must install runtime-packages.txt")
    checks.expect(image.expose == {int(image.env.get("OVO_PORT", 0)),
                                   int(image.env.get("OVO_API_PORT", 0))},
                  f"deploy/Dockerfile: EXPOSE {image.expose} is not OVO_PORT and OVO_API_PORT")
    compose = read_yaml(deploy / "compose.yaml", checks)
    if compose:
        check_compose(compose[0], image, progs, bounds, checks)
    objects = [doc for path in sorted((deploy / "k8s").glob("*.yaml"))
               for doc in read_yaml(path, checks)]
    pods = check_kubernetes(objects, image, progs, bounds, checks)
    if pods:
        sts = next(o for o in objects if o["kind"] == "StatefulSet")
        run_pods(pods, sts["spec"]["template"]["spec"], image, progs, bounds, checks)
    return checks.done()


if __name__ == "__main__":
    sys.exit(main(*(Path(arg).resolve() for arg in sys.argv[1:4])))
