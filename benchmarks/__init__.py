"""Speed and memory benchmarks; JSON out, each figure beside its limit."""
