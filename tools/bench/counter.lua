wrk.method = "PUT"
wrk.path = "/ovo/counters"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"Key":"bench-counter","Value":1}'
