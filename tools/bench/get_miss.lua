wrk.method = "GET"
wrk.path = "/ovo/keystorage/bench-never-written"
