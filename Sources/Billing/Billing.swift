// Billing: placeholder until its issue lands.
