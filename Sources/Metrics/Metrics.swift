// Metrics: placeholder until its issue lands.
