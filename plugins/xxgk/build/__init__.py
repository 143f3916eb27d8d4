"""One build, engine aside: `steps` orders the work (analyse, plan the pages, start the
background jobs, finish after rendering, abort) and holds its state; `pagecache` keeps
finished pages between builds. The engine's glue (adapter/) calls it."""
