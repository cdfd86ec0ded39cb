"""Scale-out on Dask distributed: one scene over many workers, many jobs, resumable runs.

Only plain data crosses the network (paths, options, fitted scene statistics, counts): workers read
the rasters themselves from storage they share with the client, and write their parts beside the
output. Dask is imported only by the runs that use it.
"""
