#!/usr/bin/env python3
"""Hit ratios of eviction policies on the hit-ratio benchmark's kind of trace, simulated (docs/memory.md,
"Policies"): Zipf 0.9, 500,000 look-aside requests over 200,000 keys, 25% of the keys fit.
Exact LRU, Redis-style sampled LRU (5 samples), CLOCK over a hash table's order (ours), SIEVE.
Takes a few minutes."""
import random, collections, bisect, itertools
N=200000; R=500000; C=int(N*0.25)
random.seed(1)
w=[1/(i+1)**0.9 for i in range(N)]
cum=list(itertools.accumulate(w)); tot=cum[-1]
perm=list(range(N)); random.shuffle(perm)
trace=[perm[bisect.bisect_left(cum, random.random()*tot)] for _ in range(R)]
def lru():
    d=collections.OrderedDict(); h=0
    for k in trace:
        if k in d: d.move_to_end(k); h+=1
        else:
            d[k]=1
            if len(d)>C: d.popitem(last=False)
    return h/R
def sampled_lru(samples=5):
    # redis-like: sample 5 random keys, evict oldest (with pool of 16 approximated by plain sampling)
    t={}; keys=[]; pos={}; h=0; clock=0
    for k in trace:
        clock+=1
        if k in t: t[k]=clock; h+=1
        else:
            if len(keys)>=C:
                cand=[keys[random.randrange(len(keys))] for _ in range(samples)]
                v=min(cand,key=lambda x:t[x]); i=pos.pop(v); last=keys.pop()
                if last!=v: keys[i]=last; pos[last]=i
                del t[v]
            t[k]=clock; pos[k]=len(keys); keys.append(k)
    return h/R
def clock_hash():
    # hand over a fixed array of positions = hash order; new keys land at random positions
    M=N  # table index space
    slot_of={}; table=[None]*(C*2); vis={}; h=0; hand=0; n=0
    import random as r
    free=list(range(len(table))); r.shuffle(free)
    for k in trace:
        if k in vis: vis[k]=1; h+=1; continue
        if n>=C:
            while True:
                v=table[hand]
                if v is not None:
                    if vis[v]: vis[v]=0
                    else:
                        del vis[v]; table[hand]=None; free.append(hand); n-=1; r.shuffle(free[-10:]) ; hand=(hand+1)%len(table); break
                hand=(hand+1)%len(table)
        i=free.pop(r.randrange(len(free))); table[i]=k; vis[k]=0; n+=1
    return h/R
def sieve():
    # FIFO list with hand moving tail->head
    from collections import deque
    order=[]  # simulate with linked list via dict
    prev={}; nxt={}; head=None; tail=None; vis={}; hand=None; h=0
    def remove(x):
        nonlocal head,tail
        p,q=prev.pop(x),nxt.pop(x)
        if p is not None: nxt[p]=q
        else: head=q
        if q is not None: prev[q]=p
        else: tail=p
    for k in trace:
        if k in vis: vis[k]=1; h+=1; continue
        if len(vis)>=C:
            o=hand if hand is not None else tail
            while vis[o]:
                vis[o]=0; o=prev[o] if prev[o] is not None else tail
            hand=prev[o]; remove(o); del vis[o]
        # insert at head
        prev[k]=None; nxt[k]=head
        if head is not None: prev[head]=k
        head=k
        if tail is None: tail=k
        vis[k]=0
    return h/R
for f in (lru,sampled_lru,clock_hash,sieve): print(f.__name__, round(f(),4), flush=True)
