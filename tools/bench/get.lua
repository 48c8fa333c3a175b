-- GET of one key stored beforehand (100-byte value); KEY (env) names it, default bench-hit.
wrk.method = "GET"
wrk.path = "/ovo/keystorage/" .. (os.getenv("KEY") or "bench-hit")
