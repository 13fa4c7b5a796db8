"""Where answers come from: the graph files, persisted stores, remote endpoints, and the engines over them."""
