from fastapi import APIRouter

router = APIRouter(prefix="/programs/{program_id}", tags=["roster"])
