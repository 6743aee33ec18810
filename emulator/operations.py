"""Changes that several endpoints make, each announcing its events.

Every function here expects ``ctx.store.lock`` to be held by the caller.
"""

from __future__ import annotations

import dataclasses

from emulator import ids
from emulator.context import EmulatorContext
from emulator.events import Event
from emulator.models import AttachmentAction, Membership, Message, Person, Room


def _room_event(
    ctx: EmulatorContext,
    kind: str,
    room: Room,
    actor: Person,
    audience: frozenset[str] | None = None,
) -> None:
    record = room.to_json()
    ctx.publish(
        Event(
            resource="rooms",
            event=kind,
            actor_id=actor.id,
            room_id=room.id,
            room_type=room.type,
            data=record,
            record=record,
            audience=ctx.store.member_ids(room.id) if audience is None else audience,
            created=ctx.store.now(),
        )
    )


def _membership_event(
    ctx: EmulatorContext, kind: str, membership: Membership, actor: Person
) -> None:
    store = ctx.store
    room = store.rooms[membership.room_id]
    record = membership.to_json(store.people[membership.person_id], room)
    ctx.publish(
        Event(
            resource="memberships",
            event=kind,
            actor_id=actor.id,
            room_id=room.id,
            room_type=room.type,
            data=record,
            record=record,
            # The person who joins or leaves hears about it too.
            audience=store.member_ids(room.id) | {membership.person_id},
            created=store.now(),
        )
    )


def message_event(ctx: EmulatorContext, kind: str, message: Message, actor: Person) -> None:
    ctx.publish(
        Event(
            resource="messages",
            event=kind,
            actor_id=actor.id,
            room_id=message.room_id,
            room_type=message.room_type,
            data=message.webhook_data(),
            record=message.to_json(),
            audience=ctx.store.member_ids(message.room_id),
            created=ctx.store.now(),
        )
    )


def action_event(ctx: EmulatorContext, action: AttachmentAction, card: Message) -> None:
    ctx.publish(
        Event(
            resource="attachmentActions",
            event="created",
            actor_id=action.person_id,
            room_id=action.room_id,
            room_type=card.room_type,
            data=action.webhook_data(),
            record=action.to_json(),
            audience=ctx.store.member_ids(action.room_id),
            created=action.created,
            card_author_id=card.person_id,
        )
    )


def add_member(
    ctx: EmulatorContext, room: Room, person: Person, actor: Person, is_moderator: bool = False
) -> Membership:
    store = ctx.store
    membership = Membership(
        id=ids.encode_id(ids.MEMBERSHIP, f"{ids.raw_uuid(person.id)}:{ids.raw_uuid(room.id)}"),
        room_id=room.id,
        person_id=person.id,
        created=store.now(),
        is_moderator=is_moderator,
        seq=store.next_seq(),
    )
    store.memberships[membership.id] = membership
    _membership_event(ctx, "created", membership, actor)
    return membership


def remove_member(ctx: EmulatorContext, membership: Membership, actor: Person) -> None:
    _membership_event(ctx, "deleted", membership, actor)
    del ctx.store.memberships[membership.id]


def create_room(ctx: EmulatorContext, title: str, room_type: str, creator: Person) -> Room:
    store = ctx.store
    now = store.now()
    room = Room(
        id=ids.new_id(ids.ROOM),
        title=title,
        type=room_type,
        creator_id=creator.id,
        owner_org_id=store.identity.org_id,
        created=now,
        last_activity=now,
        seq=store.next_seq(),
    )
    store.rooms[room.id] = room
    return room


def create_group_room(ctx: EmulatorContext, title: str, creator: Person) -> Room:
    room = create_room(ctx, title, "group", creator)
    _room_event(ctx, "created", room, creator, frozenset({creator.id}))
    add_member(ctx, room, creator, creator)
    return room


def direct_room(ctx: EmulatorContext, sender: Person, recipient: Person) -> Room:
    """The 1:1 space of two people, made on the first message as Webex does."""
    existing = ctx.store.direct_room_between(sender.id, recipient.id)
    if existing is not None:
        return existing
    room = create_room(ctx, recipient.display_name, "direct", sender)
    _room_event(ctx, "created", room, sender, frozenset({sender.id, recipient.id}))
    add_member(ctx, room, sender, sender)
    add_member(ctx, room, recipient, sender)
    return room


def update_room_title(ctx: EmulatorContext, room: Room, title: str, actor: Person) -> None:
    room.title = title
    _room_event(ctx, "updated", room, actor)


def migrate_room(ctx: EmulatorContext, room_id: str, actor: Person) -> Room:
    """Webex moving a space to another geography: the same space under a new id.
    Members and messages follow; ``rooms``/``migrated`` names both ids (the
    previous one in ``previousRoomId``)."""
    store = ctx.store
    old = store.rooms.pop(room_id)
    new = dataclasses.replace(old, id=ids.new_id(ids.ROOM), seq=store.next_seq())
    store.rooms[new.id] = new
    for membership in store.room_memberships(room_id):
        membership.room_id = new.id
    store.memberships.changed()
    for message in store.messages.values():
        if message.room_id == room_id:
            message.room_id = new.id
    record = {**new.to_json(), "previousRoomId": room_id}
    ctx.publish(
        Event(
            resource="rooms",
            event="migrated",
            actor_id=actor.id,
            room_id=new.id,
            room_type=new.type,
            data=record,
            record=record,
            audience=store.member_ids(new.id),
            created=store.now(),
        )
    )
    return new
