"""The pet shop: the generated handler contract implemented over an in-memory store."""

from __future__ import annotations

from petshop.api.pets import handlers as h
from petshop.api.pets import models


class PetShop(h.Handlers):
    def __init__(self) -> None:
        self.pets: dict[int, models.Pet] = {}

    async def list_pets(self, request: h.ListPetsRequest) -> h.ListPetsResponse:
        pets = sorted(self.pets.values(), key=lambda pet: pet.id)[: request.limit]
        return h.ListPets200JsonResponse(body=pets)

    async def create_pet(self, request: h.CreatePetRequest) -> h.CreatePetResponse:
        new = request.body
        pet = models.Pet(id=len(self.pets) + 1, name=new.name, tag=new.tag)
        self.pets[pet.id] = pet
        return h.CreatePet201JsonResponse(body=pet)

    async def get_pet(self, request: h.GetPetRequest) -> h.GetPetResponse:
        pet = self.pets.get(request.pet_id)
        if pet is None:
            problem = models.Problem(detail=f"no pet {request.pet_id}")
            return h.GetPet404JsonResponse(body=problem)
        return h.GetPet200JsonResponse(body=pet)
