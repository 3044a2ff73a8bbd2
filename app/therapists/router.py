from fastapi import APIRouter

router = APIRouter(prefix="/therapists", tags=["therapists"])
