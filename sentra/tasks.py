"""Celery jobs of the register: the census import's check and save (``sentra.census``)."""

from celery import shared_task

from . import census


@shared_task(acks_late=True, ignore_result=True)
def impor_check(pk: int) -> None:
    census.impor_check(pk)


@shared_task(acks_late=True, ignore_result=True)
def impor_save(pk: int) -> None:
    census.impor_save(pk)
