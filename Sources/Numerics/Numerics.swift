// Numerics: placeholder until its issue lands.
