"""placeholder"""
def write_source(src, out, seed): raise NotImplementedError
