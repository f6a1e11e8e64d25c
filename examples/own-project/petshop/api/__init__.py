"""Generated API packages: `specgen generate` writes petshop/api/<name>/."""
