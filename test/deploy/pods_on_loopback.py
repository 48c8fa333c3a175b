"""The StatefulSet's pods as real processes on loopback: each pod's variables with its addresses
swapped for 127.0.0.1 and free ports, its volume and working directory under a scratch root."""

import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from checks import run, tail
from deploy_files import pre_stop


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def on_loopback(pods):
    """Each pod's variables with its addresses swapped for 127.0.0.1 and free ports; also the
    swap per pod (manifest port -> port here)."""
    nodes = [c.config["ServerNode"]["Node"] for c in pods]
    ports = {n["Name"]: {n["Port"]: free_port(), n["APIPort"]: free_port()} for n in nodes}
    swapped = []
    for c in pods:
        node = c.config["ServerNode"]["Node"]
        mine = ports[node["Name"]]
        env = dict(c.env, OVO_HOST="127.0.0.1", OVO_PORT=str(mine[node["Port"]]),
                   OVO_API_PORT=str(mine[node["APIPort"]]))
        if "OVO_API_HOST" in env:
            env["OVO_API_HOST"] = "127.0.0.1"
        if "OVO_TOPOLOGY_NODES" in env:
            nodes = json.loads(env["OVO_TOPOLOGY_NODES"])
            for entry in nodes:
                peer = entry["Node"]
                peer_ports = ports[peer["Name"]]
                peer.update(Host="127.0.0.1", Port=peer_ports[peer["Port"]],
                            APIPort=peer_ports[peer["APIPort"]])
                if "APIHost" in peer:
                    peer["APIHost"] = "127.0.0.1"
            env["OVO_TOPOLOGY_NODES"] = json.dumps(nodes)
        swapped.append((env, mine))
    return swapped


def http_get(port, path):
    """(status, envelope, X-Ovo-Error) of GET http://127.0.0.1:port/path; status 0 when
    nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as answer:
            return answer.status, json.loads(answer.read()), answer.headers.get("X-Ovo-Error")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), error.headers.get("X-Ovo-Error")
    except (OSError, ValueError):
        return 0, None, None


class Running:
    """A pod's node started on loopback in a directory standing for its container's root."""

    def __init__(self, programs, pod, env, ports, image, mount, scratch):
        self.pod, self.ports = pod, ports
        self.root = root = Path(scratch) / pod.where.split()[-1]
        self.workdir = root / image.workdir.lstrip("/")
        self.volume = root / mount.lstrip("/")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.volume.mkdir(parents=True, exist_ok=True)
        self.log_path = root / "node.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [programs.ovo] + pod.argv[1:], cwd=self.workdir, stdout=log,
                stderr=subprocess.STDOUT, env={"PATH": os.environ["PATH"], **env})

    def log(self):
        return tail(self.log_path.read_text())

    def probe(self, probe_port, path):
        return http_get(self.ports[probe_port], path)


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def run_pods(pods, pod_spec, image, programs, bounds, checks):
    """The StatefulSet's pods as processes: probes, the volume, preStop, SIGTERM."""
    spec = pod_spec["containers"][0]
    if not all(c.config for c in pods):
        checks.expect(False, "the pods were not started: their configuration is wrong (above)")
        return
    mount = next((m["mountPath"] for m in spec.get("volumeMounts", [])
                  if not m.get("readOnly")), None)
    if not checks.expect(mount is not None, f"{pods[0].where}: no writable volume is mounted"):
        return
    # compose has only the image's volume: both must be where the node writes <conf>.temp.
    checks.expect(mount in image.volumes, f"{pods[0].where}: mounts {mount}, the image's VOLUME "
                  f"is {image.volumes}")
    rest = pods[0].config["ServerNode"]["Node"]["Port"]
    with tempfile.TemporaryDirectory(prefix="ovo-pods-") as scratch:
        nodes = [Running(programs, pod, env, ports, image, mount, scratch)
                 for pod, (env, ports) in zip(pods, on_loopback(pods))]
        try:
            exercise(nodes, rest, pod_spec, mount, programs, bounds, checks)
        finally:
            for node in nodes:
                if node.process.poll() is None:
                    node.process.kill()
                    node.process.wait()


def exercise(nodes, rest, pod_spec, mount, programs, bounds, checks):
    """Probes as kubelet asks them, the volume, the first pod's preStop, SIGTERM to the rest."""
    for node in nodes:
        alive = wait_for(lambda: node.process.poll() is not None or
                         node.probe(rest, "/healthz")[0] == 200, 15)
        status, envelope, _ = node.probe(rest, "/healthz")
        if not checks.expect(alive and status == 200 and envelope["Status"] == "done",
                             f"{node.pod.where}: GET /healthz answered {status} {envelope}, not "
                             f"200 done; its log:\n{node.log()}"):
            return
    unready = []
    for node in nodes:
        def ready():
            status, envelope, reason = node.probe(rest, "/readyz")
            if status == 503:
                unready.append((envelope["Code"], reason or ""))
            return status == 200
        checks.expect(wait_for(ready, 30), f"{node.pod.where}: GET /readyz is not 200 30 s "
                      f"after the start: {unready[-1:]}; its log:\n{node.log()}")
    checks.expect(all(code == "14" and reason.startswith("not ready") for code, reason in unready),
                  f"/readyz before ready: {set(unready)}, not 503/14 with the reason")
    for node in nodes:
        checks.expect(any(node.volume.glob("*.temp")), f"{node.pod.where}: no <conf>.temp in "
                      f"the volume mounted at {mount} with the working directory at "
                      f"{node.workdir}; found {list(node.root.rglob('*.temp'))}")
    leaving = nodes[0]
    argv = [programs.ovoctl] + [
        re.sub(r":(\d+)$", lambda m: f":{leaving.ports.get(int(m.group(1)), m.group(1))}", arg)
        for arg in pre_stop(pod_spec["containers"][0])[1:]]
    left = run(argv, timeout=bounds[0] + 30)
    checks.expect(left.returncode == 0, f"{leaving.pod.where}: preStop ({' '.join(argv)}) "
                  f"exited {left.returncode}:\n{tail(left.stdout + left.stderr)}")
    checks.expect(wait_for(lambda: leaving.process.poll() is not None, 15),
                  f"{leaving.pod.where}: still running 15 s after preStop's leave")
    grace = pod_spec.get("terminationGracePeriodSeconds", 30)
    for node in nodes[1:]:
        node.process.send_signal(signal.SIGTERM)
        checks.expect(wait_for(lambda: node.process.poll() is not None, grace),
                      f"{node.pod.where}: still running {grace} s after SIGTERM")
        checks.expect(node.process.poll() == 0, f"{node.pod.where}: exited "
                      f"{node.process.poll()} on SIGTERM; its log:\n{node.log()}")
