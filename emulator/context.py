"""The pieces one emulator instance is made of, handed to every blueprint factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator.config import EmulatorConfig
from emulator.delivery import Dispatcher
from emulator.events import Event, EventBus
from emulator.faults import FaultInjector
from emulator.store import WebexState
from emulator.wholesale import WholesaleBook


@dataclass
class EmulatorContext:
    config: EmulatorConfig
    store: WebexState
    bus: EventBus
    dispatcher: Dispatcher
    faults: FaultInjector
    wholesale: WholesaleBook = field(default_factory=WholesaleBook)

    def publish(self, event: Event) -> Event:
        """Log and deliver ``event``; call it with ``store.lock`` held."""
        return self.bus.publish(event)

    def reset(self) -> None:
        self.faults.clear()
        with self.store.lock:
            self.store.reset()
            self.dispatcher.clear()
            self.bus.log.clear()
        self.wholesale.clear()
