#!/usr/bin/env python3
"""Replays a look-aside trace (GET; on a miss, PUT) against an OVO node or a redis-server.

The trace: REQUESTS keys drawn from a Zipf(ALPHA) distribution over KEYS keys (rank order
shuffled with a fixed seed, so every run and both targets see the same trace), VALUE-byte
values. It is split round-robin over PROCS processes, one connection each, so the requests
interleave about as in the trace. Prints one JSON line: requests, hits, misses, hit ratio.

  hit_ratio.py ovo 127.0.0.1:17080        hit_ratio.py redis 127.0.0.1:17090
"""
import base64
import bisect
import itertools
import json
import multiprocessing
import os
import random
import socket
import sys

KEYS = int(os.environ.get("KEYS", 200_000))
REQUESTS = int(os.environ.get("REQUESTS", 500_000))
ALPHA = float(os.environ.get("ALPHA", 0.9))
VALUE = int(os.environ.get("VALUE", 200))
PROCS = int(os.environ.get("PROCS", 4))
SEED = 15


def trace():
    rng = random.Random(SEED)
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** ALPHA for rank in range(KEYS)))
    total = cumulative[-1]
    key_of_rank = list(range(KEYS))
    rng.shuffle(key_of_rank)
    return [key_of_rank[bisect.bisect_left(cumulative, rng.random() * total)]
            for _ in range(REQUESTS)]


class Connection:
    def __init__(self, address):
        host, port = address.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def send(self, data):
        self.sock.sendall(data)

    def line(self):
        while b"\r\n" not in self.buffer:
            self.fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def exactly(self, n):
        while len(self.buffer) < n:
            self.fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        self.buffer += chunk


class Ovo(Connection):
    def request(self, method, path, body=b""):
        head = (f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n"
                "Content-Type: application/json\r\n\r\n").encode()
        self.send(head + body)
        status = int(self.line().split()[1])
        length = 0
        while True:
            header = self.line()
            if not header:
                break
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        self.exactly(length)
        return status

    def get(self, key):
        status = self.request("GET", f"/ovo/keystorage/{key}")
        if status not in (200, 404):
            raise RuntimeError(f"GET {key}: {status}")
        return status == 200

    def put(self, key, value):
        body = json.dumps({"Key": key, "Data": base64.b64encode(value).decode()}).encode()
        status = self.request("PUT", "/ovo/keystorage", body)
        if status != 200:
            raise RuntimeError(f"PUT {key}: {status}")


class Redis(Connection):
    def command(self, *words):
        out = [f"*{len(words)}\r\n".encode()]
        for word in words:
            word = word if isinstance(word, bytes) else word.encode()
            out += [f"${len(word)}\r\n".encode(), word, b"\r\n"]
        self.send(b"".join(out))
        reply = self.line()
        if reply.startswith(b"$") and reply != b"$-1":
            self.exactly(int(reply[1:]) + 2)
        if reply.startswith(b"-"):
            raise RuntimeError(reply.decode())
        return reply

    def get(self, key):
        return self.command("GET", key) != b"$-1"

    def put(self, key, value):
        self.command("SET", key, value)


def replay(args):
    kind, address, part = args
    keys = trace()[part::PROCS]  # before connecting: an idle new connection gets a 408
    value = bytes(random.Random(part).randrange(256) for _ in range(VALUE))
    target = (Ovo if kind == "ovo" else Redis)(address)
    hits = 0
    for key in keys:
        name = f"key:{key}"
        if target.get(name):
            hits += 1
        else:
            target.put(name, value)
    return hits, len(keys)


def main():
    kind, address = sys.argv[1], sys.argv[2]
    with multiprocessing.Pool(PROCS) as pool:
        results = pool.map(replay, [(kind, address, part) for part in range(PROCS)])
    hits = sum(h for h, _ in results)
    requests = sum(n for _, n in results)
    print(json.dumps({"target": kind, "requests": requests, "hits": hits,
                      "misses": requests - hits, "hit_ratio": round(hits / requests, 4)}))


if __name__ == "__main__":
    main()
