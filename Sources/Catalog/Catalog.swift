// Catalog: placeholder until its issue lands.
