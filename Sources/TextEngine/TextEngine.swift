// TextEngine: placeholder until its issue lands.
