"""Shared pytest setup: no reports at exit, empty storage around every test."""

import pytest

import timemory


@pytest.fixture(autouse=True)
def clean_storage():
    timemory.settings.auto_output = False
    timemory.storage.reset()
    yield
    timemory.storage.reset()
