-- GET of one key that the bench script stored beforehand (100-byte value).
wrk.method = "GET"
wrk.path = "/ovo/keystorage/bench-hit"
