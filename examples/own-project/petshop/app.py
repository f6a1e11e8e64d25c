"""The ASGI app: `uvicorn petshop.app:app` from the project folder."""

from __future__ import annotations

from petshop.api.pets.server import create_app
from petshop.service import PetShop

app = create_app(PetShop())
