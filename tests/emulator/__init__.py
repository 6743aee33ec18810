"""Tests of the local Webex emulator."""
