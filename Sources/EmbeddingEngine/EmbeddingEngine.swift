// EmbeddingEngine: placeholder until its issue lands.
