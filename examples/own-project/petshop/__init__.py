"""A pet shop service built on the code specgen generates from specs/pets.yaml."""
