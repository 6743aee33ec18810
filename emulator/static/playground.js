// The Webex emulator's playground: a small chat client acting as one of the
// emulator's people through the real /v1/ API, following /_emulator/events.
//
// Safety: message text is only ever put in the page with textContent (the tiny
// markdown renderer below builds DOM nodes); cards go through the official
// Adaptive Cards renderer, whose markdown hook gets the same DOM-built output.
"use strict";

(() => {
  const CARD_TYPE = "application/vnd.microsoft.card.adaptive";
  const POLL_WAIT_SECONDS = 25;
  const RETRY_MS = 1500;
  const MESSAGES_PAGE = 100;
  const STORAGE_KEY = "statusbot-playground";
  const FONT = "CiscoSansTT, 'Inter', 'Helvetica Neue', Helvetica, Arial, sans-serif";

  // -- a Webex-like host config (light theme, schema 1.3) -------------------------------
  function colors(normal, subtle) {
    const palette = {
      default: [normal, subtle],
      dark: ["#000000", "#545454"],
      light: ["#ffffff", "#f0f0f0"],
      accent: ["#0a78cc", "#5aa7e0"],
      good: ["#1d805f", "#5fa88b"],
      warning: ["#c06a00", "#d89a4f"],
      attention: ["#d4371c", "#e27361"],
    };
    const out = {};
    for (const [name, [d, s]] of Object.entries(palette)) out[name] = { default: d, subtle: s };
    return out;
  }
  const style = (background, text, subtle) => ({
    backgroundColor: background,
    foregroundColors: colors(text, subtle),
  });
  const HOST_CONFIG = {
    fontFamily: FONT,
    supportsInteractivity: true,
    spacing: { small: 6, default: 10, medium: 16, large: 22, extraLarge: 28, padding: 16 },
    separator: { lineThickness: 1, lineColor: "#e6e6e6" },
    fontSizes: { small: 13, default: 14, medium: 16, large: 20, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    imageSizes: { small: 40, medium: 80, large: 160 },
    containerStyles: {
      default: style("#ffffff", "#121212", "#6b6b6b"),
      emphasis: style("#f7f7f7", "#121212", "#6b6b6b"),
      accent: style("#e8f3fc", "#121212", "#6b6b6b"),
      good: style("#e9f6f0", "#0f5c43", "#3d7a63"),
      attention: style("#fdecea", "#a8281a", "#c0584a"),
      warning: style("#fff4e5", "#8a4b00", "#a8702e"),
    },
    actions: {
      maxActions: 5,
      spacing: "medium",
      buttonSpacing: 8,
      actionsOrientation: "horizontal",
      actionAlignment: "left",
      showCard: { actionMode: "inline", inlineTopMargin: 12 },
    },
    inputs: { label: { inputSpacing: "small", requiredInputs: { weight: "bolder", suffix: " *" } } },
  };

  // -- state --------------------------------------------------------------------------
  const state = {
    config: null,
    bot: null,
    people: [],
    me: null,
    rooms: [],
    roomId: null,
    pendingDirect: false, // the bot's 1:1 space before its first message
    members: new Map(), // roomId -> [personId]
    names: new Map(), // personId -> display name
    messages: new Map(), // id -> message, current room only
    nodes: new Map(), // id -> <li>
    unread: new Set(),
    replyTo: null,
    seq: 0,
    renderer: false,
    generation: 0, // bumps on every person or room switch; stale answers are dropped
  };

  const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key === "testid") node.dataset.testid = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function saved() {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}");
    } catch {
      return {};
    }
  }
  function save(patch) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...saved(), ...patch }));
    } catch {
      /* storage may be off: the page works without it */
    }
  }

  // -- HTTP -----------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function readError(response) {
    let message = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      message = body.message || body.error || message;
    } catch {
      /* not JSON */
    }
    return new ApiError(response.status, message);
  }

  async function adminGet(path) {
    const response = await fetch(path, { cache: "no-store" });
    if (!response.ok) throw await readError(response);
    return response.json();
  }

  // Calls the real /v1/ API as the chosen person.
  async function api(method, path, body) {
    const headers = { Authorization: `Bearer ${state.me.token}` };
    const init = { method, headers, cache: "no-store" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`/v1/${path}`, init);
    if (!response.ok) throw await readError(response);
    return response.status === 204 ? null : response.json();
  }

  function showError(message) {
    const box = $("page-error");
    box.textContent = message;
    box.hidden = !message;
  }

  // -- a safe little markdown renderer (DOM nodes only) ---------------------------------
  const INLINE =
    /<@(?:personEmail|personId):[^|>]+\|([^>]*)>|<@all(?:\|([^>]*))?>|\*\*(.+?)\*\*|__(.+?)__|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)/g;

  function safeHref(url) {
    try {
      const parsed = new URL(url, location.href);
      return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function appendInline(parent, text) {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) parent.append(text.slice(last, match.index));
      last = match.index + match[0].length;
      const [, mention, all, bold1, bold2, code, linkText, linkUrl, italic] = match;
      if (mention !== undefined || match[0].startsWith("<@all")) {
        parent.append(el("span", { className: "mention", text: mention ?? all ?? "All" }));
      } else if (bold1 !== undefined || bold2 !== undefined) {
        const strong = el("strong");
        appendInline(strong, bold1 ?? bold2);
        parent.append(strong);
      } else if (code !== undefined) {
        parent.append(el("code", { text: code }));
      } else if (linkText !== undefined) {
        const href = safeHref(linkUrl);
        if (href) {
          parent.append(el("a", { href, target: "_blank", rel: "noopener noreferrer", text: linkText }));
        } else {
          parent.append(match[0]);
        }
      } else if (italic !== undefined) {
        const em = el("em");
        appendInline(em, italic);
        parent.append(em);
      }
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  // Paragraphs, "- " / "* " / "1. " lists, "#" headings and inline marks.
  function appendMarkdown(parent, markdown) {
    const lines = String(markdown).replace(/\r\n?/g, "\n").split("\n");
    let list = null;
    let paragraph = null;
    for (const line of lines) {
      const item = /^\s*(?:[-*•]|\d+\.)\s+(.*)$/.exec(line);
      const heading = /^\s*#{1,6}\s+(.*)$/.exec(line);
      if (item) {
        paragraph = null;
        const ordered = /^\s*\d+\./.test(line);
        if (!list || list.ordered !== ordered) {
          list = { ordered, node: el(ordered ? "ol" : "ul") };
          parent.append(list.node);
        }
        const li = el("li");
        appendInline(li, item[1]);
        list.node.append(li);
        continue;
      }
      list = null;
      if (heading) {
        paragraph = null;
        const strong = el("p", { className: "md-heading" });
        appendInline(strong, heading[1]);
        parent.append(strong);
      } else if (!line.trim()) {
        paragraph = null;
      } else {
        if (paragraph) paragraph.append(el("br"));
        else {
          paragraph = el("p");
          parent.append(paragraph);
        }
        appendInline(paragraph, line);
      }
    }
  }

  // -- cards ----------------------------------------------------------------------------
  async function loadRenderer() {
    const renderer = state.config.renderer;
    $("renderer-install-command").textContent = renderer.installCommand;
    if (renderer.available) {
      try {
        await new Promise((resolve, reject) => {
          const script = el("script", { src: renderer.script });
          script.addEventListener("load", resolve);
          script.addEventListener("error", () => reject(new Error("renderer failed to load")));
          document.head.append(script);
        });
      } catch {
        /* reported below */
      }
    }
    state.renderer = typeof window.AdaptiveCards !== "undefined";
    $("renderer-missing").hidden = state.renderer;
    document.body.dataset.renderer = state.renderer ? "adaptivecards" : "missing";
    if (state.renderer) {
      window.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
        const holder = document.createElement("div");
        appendMarkdown(holder, text);
        // Serialised from DOM nodes built with text only: safe to hand back as HTML.
        const only = holder.childNodes.length === 1 && holder.firstChild.nodeName === "P";
        result.outputHtml = only ? holder.firstChild.innerHTML : holder.innerHTML;
        result.didProcess = true;
      };
    }
  }

  function inputValue(value) {
    if (value === undefined || value === null || (typeof value === "number" && isNaN(value))) return "";
    return typeof value === "string" ? value : String(value);
  }

  // Webex's Action.Submit: the action's data merged with the card's input values.
  function submitInputs(action) {
    const inputs = {};
    const data = action.data;
    if (data && typeof data === "object" && !Array.isArray(data)) Object.assign(inputs, data);
    const referenced = action.getReferencedInputs ? action.getReferencedInputs() || {} : {};
    for (const [id, input] of Object.entries(referenced)) {
      if (!(id in inputs)) inputs[id] = inputValue(input.value);
    }
    return inputs;
  }

  async function executeAction(message, action, status) {
    const type = action.getJsonTypeName();
    if (type === "Action.OpenUrl") {
      const href = safeHref(action.url);
      if (href) window.open(href, "_blank", "noopener,noreferrer");
      return;
    }
    if (type !== "Action.Submit") return; // ShowCard, ToggleVisibility: the renderer's own
    const inputs = submitInputs(action);
    status.dataset.state = "sending";
    status.textContent = "Sending…";
    try {
      const answer = await api("POST", "attachment/actions", {
        type: "submit",
        messageId: message.id,
        inputs,
      });
      status.dataset.state = "sent";
      status.dataset.actionId = answer.id;
      status.textContent = `Submitted ${new Date().toLocaleTimeString([], { timeStyle: "short" })}`;
    } catch (error) {
      status.dataset.state = "error";
      status.textContent = `Not submitted: ${error.message}`;
    }
  }

  function renderCard(message, attachment) {
    const holder = el("div", { className: "card", testid: "message-card" });
    const status = el("div", { className: "card-status", testid: "card-status" });
    if (!state.renderer) {
      holder.classList.add("fallback");
      holder.dataset.testid = "card-fallback";
      holder.append(el("div", { className: "card-fallback-label", text: "Card (renderer not installed)" }));
      return holder;
    }
    try {
      const AC = window.AdaptiveCards;
      const card = new AC.AdaptiveCard();
      card.hostConfig = new AC.HostConfig(HOST_CONFIG);
      card.parse(attachment.content, new AC.SerializationContext(AC.Versions.v1_3));
      card.onExecuteAction = (action) => executeAction(message, action, status);
      const rendered = card.render();
      if (!rendered) throw new Error("the renderer returned nothing");
      holder.append(rendered, status);
    } catch (error) {
      holder.classList.add("fallback");
      holder.append(el("div", { className: "card-fallback-label", text: `Card not rendered: ${error.message}` }));
    }
    return holder;
  }

  // -- files ----------------------------------------------------------------------------
  function contentPath(url) {
    try {
      const parsed = new URL(url, location.href);
      return parsed.pathname.startsWith("/v1/contents/") ? parsed.pathname : null;
    } catch {
      return null;
    }
  }

  function filenameOf(disposition) {
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || "");
    return match ? decodeURIComponent(match[1]) : null;
  }

  function formatSize(bytes) {
    if (!Number.isFinite(bytes)) return "";
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function fileIcon() {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "icon file-icon");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M12 3v12m0 0-5-5m5 5 5-5M4 19h16");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
    return svg;
  }

  function renderFile(url) {
    const path = contentPath(url);
    const name = el("span", { className: "file-name", text: path ? "Attachment" : url.split("/").pop() || url });
    const size = el("span", { className: "file-size" });
    const link = el(
      "a",
      { className: "file", testid: "message-file", href: path || safeHref(url) || "#", target: "_blank", rel: "noopener noreferrer" },
      fileIcon(),
      name,
      size,
    );
    if (!path) return link;
    const token = state.me.token;
    // Webex contents need the bearer token: HEAD for the name, GET as a blob to save.
    fetch(path, { method: "HEAD", headers: { Authorization: `Bearer ${token}` } })
      .then((response) => {
        if (!response.ok) return;
        const filename = filenameOf(response.headers.get("Content-Disposition"));
        if (filename) {
          name.textContent = filename;
          link.setAttribute("download", filename);
        }
        size.textContent = formatSize(Number(response.headers.get("Content-Length")));
      })
      .catch(() => {});
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      try {
        const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
        if (!response.ok) throw await readError(response);
        const blob = await response.blob();
        const objectUrl = URL.createObjectURL(blob);
        const save = el("a", { href: objectUrl, download: link.getAttribute("download") || "download" });
        document.body.append(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
      } catch (error) {
        showError(`Download failed: ${error.message}`);
      }
    });
    return link;
  }

  // -- people ---------------------------------------------------------------------------
  function nameOf(personId, fallback) {
    if (state.names.has(personId)) return state.names.get(personId);
    if (state.me && personId) {
      state.names.set(personId, fallback || "…");
      api("GET", `people/${encodeURIComponent(personId)}`)
        .then((person) => {
          state.names.set(personId, person.displayName);
          for (const node of document.querySelectorAll(`[data-person-id="${CSS.escape(personId)}"] > .message-main .sender`)) {
            node.textContent = person.displayName;
          }
        })
        .catch(() => {});
    }
    return fallback || "Someone";
  }

  function initials(name) {
    const words = String(name || "?").split(/[\s@.]+/).filter(Boolean);
    return (words[0]?.[0] || "?").toUpperCase() + (words[1]?.[0] || "").toUpperCase();
  }

  function avatar(name, isBot) {
    return el("span", { className: `avatar${isBot ? " bot" : ""}`, "aria-hidden": "true", text: initials(name) });
  }

  // -- messages -------------------------------------------------------------------------
  function formatTime(created) {
    const when = new Date(created);
    if (isNaN(when)) return "";
    const today = new Date().toDateString() === when.toDateString();
    return today
      ? when.toLocaleTimeString([], { timeStyle: "short" })
      : when.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  }

  function renderMessage(message) {
    const isBot = state.bot && message.personId === state.bot.id;
    const mine = message.personId === state.me.id;
    const sender = nameOf(message.personId, message.personEmail);
    const cards = (message.attachments || []).filter((a) => a && a.contentType === CARD_TYPE);
    const body = el("div", { className: "message-text", testid: "message-text" });
    const source = message.markdown ?? message.text ?? "";
    if (source && (!cards.length || !state.renderer)) appendMarkdown(body, source);
    const main = el(
      "div",
      { className: "message-main" },
      el(
        "div",
        { className: "message-meta" },
        el("span", { className: "sender", text: sender }),
        isBot ? el("span", { className: "badge", text: "Bot" }) : null,
        el("time", { dateTime: message.created, title: message.created, text: formatTime(message.created) }),
      ),
    );
    if (body.childNodes.length) main.append(body);
    for (const attachment of cards) main.append(renderCard(message, attachment));
    if (message.files && message.files.length) {
      main.append(el("div", { className: "files" }, ...message.files.map(renderFile)));
    }
    const actions = el("div", { className: "message-actions" });
    if (!message.parentId) {
      actions.append(
        el("button", {
          type: "button",
          className: "link-button",
          testid: "reply-button",
          text: "Reply in thread",
          onclick: () => startReply(message),
        }),
      );
    }
    main.append(actions);
    if (!message.parentId) main.append(el("ol", { className: "thread", testid: "thread-replies" }));
    const node = el(
      "li",
      {
        className: `message${isBot ? " from-bot" : ""}${mine ? " mine" : ""}${message.parentId ? " reply" : ""}`,
        testid: message.parentId ? "thread-reply" : "message",
        "data-message-id": message.id,
        "data-person-id": message.personId,
        "data-person-email": message.personEmail,
        "data-has-card": cards.length ? "true" : "false",
        "data-parent-id": message.parentId,
      },
      avatar(sender, isBot),
      main,
    );
    return node;
  }

  function nearBottom() {
    const timeline = $("timeline");
    return timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 120;
  }

  function scrollToBottom() {
    const timeline = $("timeline");
    timeline.scrollTop = timeline.scrollHeight;
  }

  function insertInOrder(container, node, created) {
    // Messages arrive in order almost always; walk back from the end otherwise.
    let before = null;
    for (let child = container.lastElementChild; child; child = child.previousElementSibling) {
      const other = state.messages.get(child.dataset.messageId);
      if (!other || other.created <= created) break;
      before = child;
    }
    container.insertBefore(node, before);
  }

  function addMessage(message, { scroll = true } = {}) {
    if (state.nodes.has(message.id) || message.roomId !== state.roomId) return;
    const stick = nearBottom() || message.personId === state.me.id;
    state.messages.set(message.id, message);
    const node = renderMessage(message);
    state.nodes.set(message.id, node);
    const parentNode = message.parentId ? state.nodes.get(message.parentId) : null;
    if (parentNode) {
      insertInOrder(parentNode.querySelector(":scope > .message-main > .thread"), node, message.created);
    } else {
      if (message.parentId) node.classList.add("orphan");
      insertInOrder($("message-list"), node, message.created);
    }
    if (!message.parentId) {
      // Replies that arrived before their parent (live events beat the history): adopt them.
      const thread = node.querySelector(":scope > .message-main > .thread");
      for (const orphan of $("message-list").querySelectorAll(":scope > .message.orphan")) {
        if (orphan.dataset.parentId !== message.id) continue;
        orphan.classList.remove("orphan");
        insertInOrder(thread, orphan, state.messages.get(orphan.dataset.messageId).created);
      }
    }
    $("empty-state").hidden = true;
    if (scroll && stick) scrollToBottom();
  }

  function removeMessage(messageId) {
    const node = state.nodes.get(messageId);
    if (!node) return;
    node.remove();
    state.nodes.delete(messageId);
    state.messages.delete(messageId);
    if (state.replyTo && state.replyTo.id === messageId) cancelReply();
  }

  function clearMessages() {
    state.messages.clear();
    state.nodes.clear();
    $("message-list").replaceChildren();
  }

  async function loadMessages(roomId, generation) {
    const page = await api("GET", `messages?roomId=${encodeURIComponent(roomId)}&max=${MESSAGES_PAGE}`);
    if (generation !== state.generation) return;
    const items = page.items.slice().reverse();
    // Parents first, so replies can nest under them.
    for (const message of items.filter((m) => !m.parentId)) addMessage(message, { scroll: false });
    for (const message of items.filter((m) => m.parentId)) addMessage(message, { scroll: false });
    $("empty-state").hidden = state.nodes.size > 0;
    if (!state.nodes.size) showEmpty("No messages yet", "Say hello — the bot's answers appear here.");
    scrollToBottom();
  }

  function showEmpty(title, text) {
    const box = $("empty-state");
    box.replaceChildren(el("p", { className: "empty-title", text: title }), el("p", { text }));
    box.hidden = false;
  }

  // -- rooms ----------------------------------------------------------------------------
  const currentRoom = () => state.rooms.find((room) => room.id === state.roomId) || null;
  const botIn = (roomId) => (state.members.get(roomId) || []).includes(state.bot?.id);

  async function loadMembers(roomId) {
    const page = await api("GET", `memberships?roomId=${encodeURIComponent(roomId)}`);
    const ids = page.items.map((m) => m.personId);
    for (const m of page.items) if (!state.names.has(m.personId)) state.names.set(m.personId, m.personDisplayName);
    state.members.set(roomId, ids);
    return ids;
  }

  async function refreshRooms() {
    if (!state.me) return;
    const generation = state.generation;
    const page = await api("GET", "rooms?max=100&sortBy=lastactivity");
    if (generation !== state.generation) return;
    state.rooms = page.items;
    renderRooms();
  }

  function renderRooms() {
    const list = $("room-list");
    list.replaceChildren(
      ...state.rooms.map((room) => {
        const direct = room.type === "direct";
        const active = room.id === state.roomId;
        return el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              className: `room${active ? " active" : ""}${state.unread.has(room.id) ? " unread" : ""}`,
              testid: "room-item",
              "data-room-id": room.id,
              "data-room-type": room.type,
              "aria-current": active ? "true" : null,
              onclick: () => selectRoom(room.id),
            },
            avatar(room.title, direct && room.title === state.bot?.displayName),
            el(
              "span",
              { className: "room-text" },
              el("span", { className: "room-title", testid: "room-item-title", text: room.title }),
              el("span", { className: "room-kind", text: direct ? "Direct" : "Space" }),
            ),
            el("span", { className: "unread-dot", "aria-label": "unread" }),
          ),
        );
      }),
    );
    $("rooms-empty").hidden = state.rooms.length > 0;
  }

  function updateHeader() {
    const room = currentRoom();
    const title = $("room-title");
    const subtitle = $("room-subtitle");
    const addBot = $("add-bot");
    const toggle = $("mention-toggle-label");
    addBot.hidden = true;
    toggle.hidden = true;
    if (state.pendingDirect) {
      title.textContent = state.bot.displayName;
      subtitle.textContent = `Direct · ${state.bot.email}`;
    } else if (room) {
      title.textContent = room.title;
      const members = state.members.get(room.id);
      if (room.type === "direct") {
        subtitle.textContent = "Direct";
      } else {
        const count = members ? `${members.length} member${members.length === 1 ? "" : "s"}` : "";
        const bot = members ? (botIn(room.id) ? `${state.bot.displayName} is here` : `${state.bot.displayName} is not in this space`) : "";
        subtitle.textContent = ["Space", count, bot].filter(Boolean).join(" · ");
        addBot.hidden = !members || botIn(room.id);
        toggle.hidden = !members || !botIn(room.id);
      }
    } else {
      title.textContent = "No space selected";
      subtitle.textContent = "";
    }
    const canWrite = Boolean(room || state.pendingDirect);
    const input = $("composer-input");
    input.disabled = !canWrite;
    $("composer-send").disabled = !canWrite;
    input.placeholder = canWrite ? `Write a message to ${title.textContent}` : "Pick a space to write";
    $("playground").dataset.roomId = state.roomId || "";
  }

  async function selectRoom(roomId, { pendingDirect = false } = {}) {
    state.generation += 1;
    const generation = state.generation;
    state.roomId = roomId;
    state.pendingDirect = pendingDirect;
    state.unread.delete(roomId);
    cancelReply();
    clearMessages();
    showError("");
    $("mention-toggle").checked = true; // on by default in every group space
    renderRooms();
    updateHeader();
    if (pendingDirect) {
      showEmpty(`Message ${state.bot.displayName}`, "Your first message opens a 1:1 space with the bot.");
      $("composer-input").focus();
      return;
    }
    if (!roomId) {
      showEmpty("Pick a space or start one", "Messages, the bot's replies and its cards appear here as they happen.");
      return;
    }
    save({ [`room:${state.me.id}`]: roomId });
    $("empty-state").hidden = true;
    try {
      await Promise.all([loadMembers(roomId), loadMessages(roomId, generation)]);
    } catch (error) {
      if (generation === state.generation) showError(`Could not open the space: ${error.message}`);
    }
    if (generation === state.generation) {
      updateHeader();
      $("composer-input").focus();
    }
  }

  async function openBotDirect() {
    const directs = state.rooms.filter((room) => room.type === "direct");
    for (const room of directs) {
      const members = state.members.get(room.id) || (await loadMembers(room.id));
      if (members.includes(state.bot.id)) return selectRoom(room.id);
    }
    return selectRoom(null, { pendingDirect: true });
  }

  async function addBotToRoom() {
    const roomId = state.roomId;
    try {
      await api("POST", "memberships", { roomId, personEmail: state.bot.email });
      await loadMembers(roomId);
      updateHeader();
    } catch (error) {
      showError(`Could not add the bot: ${error.message}`);
    }
  }

  // -- the new-space form ---------------------------------------------------------------
  function openNewSpace() {
    const form = $("new-space-form");
    const members = $("new-space-members");
    const others = state.people.filter((p) => p.id !== state.me.id);
    const option = (person, checked, testid) =>
      el(
        "label",
        { className: "check" },
        el("input", { type: "checkbox", value: person.email, checked, testid }),
        el("span", { text: person.displayName }),
        el("span", { className: "muted", text: person.email }),
      );
    members.replaceChildren(
      el("legend", { className: "field-label", text: "Members" }),
      option(state.bot, true, "new-space-add-bot"),
      ...others.map((person) => option(person, false, "new-space-person")),
    );
    $("new-space-title").value = "";
    form.hidden = false;
    $("new-space-title").focus();
  }

  async function createSpace(event) {
    event.preventDefault();
    const title = $("new-space-title").value.trim();
    if (!title) return;
    const emails = [...$("new-space-members").querySelectorAll("input:checked")].map((i) => i.value);
    const button = $("new-space-create");
    button.disabled = true;
    try {
      const room = await api("POST", "rooms", { title });
      for (const email of emails) await api("POST", "memberships", { roomId: room.id, personEmail: email });
      $("new-space-form").hidden = true;
      await refreshRooms();
      await selectRoom(room.id);
    } catch (error) {
      showError(`Could not create the space: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  }

  // -- composing ------------------------------------------------------------------------
  function startReply(message) {
    state.replyTo = message;
    const preview = (message.text || message.markdown || (message.attachments ? "a card" : "a file")).slice(0, 60);
    $("reply-target-text").textContent = `Replying in thread to ${nameOf(message.personId, message.personEmail)}: ${preview}`;
    $("reply-target").hidden = false;
    $("composer-input").focus();
  }

  function cancelReply() {
    state.replyTo = null;
    $("reply-target").hidden = true;
  }

  function autosize() {
    const input = $("composer-input");
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 180)}px`;
  }

  async function send(event) {
    event.preventDefault();
    const input = $("composer-input");
    const fileInput = $("composer-file");
    const file = fileInput.files[0] || null;
    const text = input.value.trim();
    if (!text && !file) return;
    const room = currentRoom();
    if (!room && !state.pendingDirect) return;
    const mention = room && room.type === "group" && botIn(room.id) && $("mention-toggle").checked;
    const markdown = mention ? `<@personEmail:${state.bot.email}|${state.bot.displayName}> ${text}`.trim() : text;
    const target = state.pendingDirect ? { toPersonEmail: state.bot.email } : { roomId: room.id };
    if (state.replyTo) target.parentId = state.replyTo.id;
    const error = $("composer-error");
    error.textContent = "";
    $("composer-send").disabled = true;
    try {
      let created;
      if (file) {
        const form = new FormData();
        for (const [key, value] of Object.entries(target)) form.append(key, value);
        if (markdown) form.append("markdown", markdown);
        form.append("files", file, file.name);
        created = await api("POST", "messages", form);
      } else {
        created = await api("POST", "messages", { ...target, markdown });
      }
      input.value = "";
      fileInput.value = "";
      $("composer-file-name").hidden = true;
      autosize();
      cancelReply();
      if (state.pendingDirect) {
        await refreshRooms();
        await selectRoom(created.roomId);
      } else {
        addMessage(created);
      }
    } catch (failure) {
      error.textContent = `Not sent: ${failure.message}`;
    } finally {
      $("composer-send").disabled = false;
    }
  }

  // -- people switching -----------------------------------------------------------------
  async function selectPerson(personId) {
    const person = state.people.find((p) => p.id === personId) || state.people[0];
    state.me = person || null;
    state.rooms = [];
    state.members.clear();
    state.unread.clear();
    $("person-select").value = person ? person.id : "";
    $("new-space-form").hidden = true;
    if (!person) {
      showError("The emulator has no people to act as: start it with --user EMAIL=TOKEN.");
      await selectRoom(null);
      return;
    }
    save({ person: person.id });
    await refreshRooms();
    const remembered = saved()[`room:${person.id}`];
    const room = state.rooms.find((r) => r.id === remembered) || state.rooms[0];
    await selectRoom(room ? room.id : null);
  }

  async function loadPeople() {
    const answer = await adminGet("/_emulator/playground/people");
    state.bot = answer.bot;
    state.people = answer.items;
    state.names.set(answer.bot.id, answer.bot.displayName);
    for (const person of answer.items) state.names.set(person.id, person.displayName);
    $("mention-label").textContent = `@${answer.bot.displayName}`;
    $("person-select").replaceChildren(
      ...answer.items.map((p) => el("option", { value: p.id, text: `${p.displayName} · ${p.email}` })),
    );
  }

  // -- live events ----------------------------------------------------------------------
  function setConnection(stateName, text) {
    const badge = $("connection-status");
    badge.dataset.state = stateName;
    badge.textContent = text;
  }

  let roomsRefresh = null;
  function refreshRoomsSoon() {
    if (roomsRefresh) return;
    roomsRefresh = setTimeout(() => {
      roomsRefresh = null;
      refreshRooms().catch(() => {});
    }, 50);
  }

  function handleEvent(event) {
    if (!state.me) return;
    const known = state.rooms.some((room) => room.id === event.roomId);
    const data = event.data || {};
    if (event.resource === "messages") {
      if (event.event === "deleted") return removeMessage(data.id);
      if (known && event.roomId === state.roomId) addMessage(data);
      else if (data.personId !== state.me.id) state.unread.add(event.roomId);
      refreshRoomsSoon(); // re-sorts; finds a space just opened (a 1:1 from the bot, say)
    } else if (event.resource === "memberships") {
      if (data.personId === state.me.id) {
        if (event.event === "deleted" && event.roomId === state.roomId) selectRoom(null);
        refreshRoomsSoon();
      } else if (known) {
        state.members.delete(event.roomId);
        if (event.roomId === state.roomId) loadMembers(event.roomId).then(updateHeader).catch(() => {});
      }
    } else if (event.resource === "rooms" && known) {
      refreshRoomsSoon();
      if (event.roomId === state.roomId) setTimeout(updateHeader, 100);
    }
  }

  async function reloadAfterReconnect() {
    const config = await adminGet("/_emulator/playground/config");
    if (config.lastEventSeq < state.seq) {
      // A new emulator (or its log restarted): start over from its state.
      state.seq = config.lastEventSeq;
      await loadPeople();
      await selectPerson(state.me && state.people.some((p) => p.id === state.me.id) ? state.me.id : null);
    }
  }

  async function poll() {
    let failed = false;
    let live = false;
    for (;;) {
      try {
        // Until the emulator has answered once (at start, after a failure), ask
        // without waiting: the badge says "Live" as soon as it is, not after a
        // long poll's full wait in a quiet space.
        const wait = live ? POLL_WAIT_SECONDS : 0;
        const answer = await adminGet(`/_emulator/events?since=${state.seq}&wait=${wait}`);
        live = true;
        if (failed) {
          failed = false;
          await reloadAfterReconnect();
        }
        setConnection("live", "Live");
        for (const event of answer.events) {
          state.seq = Math.max(state.seq, event.seq);
          try {
            handleEvent(event);
          } catch (error) {
            console.error("event", event, error);
          }
        }
        state.seq = Math.max(state.seq, answer.last);
      } catch (error) {
        failed = true;
        live = false;
        setConnection("offline", "Emulator unreachable — retrying");
        await sleep(RETRY_MS);
      }
    }
  }

  // -- start ----------------------------------------------------------------------------
  async function start() {
    $("person-select").addEventListener("change", (e) => selectPerson(e.target.value));
    $("new-space").addEventListener("click", openNewSpace);
    $("new-space-cancel").addEventListener("click", () => ($("new-space-form").hidden = true));
    $("new-space-form").addEventListener("submit", createSpace);
    $("direct-bot").addEventListener("click", () => openBotDirect().catch((e) => showError(e.message)));
    $("add-bot").addEventListener("click", addBotToRoom);
    $("reply-cancel").addEventListener("click", cancelReply);
    $("composer").addEventListener("submit", send);
    const input = $("composer-input");
    input.addEventListener("input", autosize);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("composer").requestSubmit();
      }
    });
    $("composer-file").addEventListener("change", (event) => {
      const file = event.target.files[0];
      const label = $("composer-file-name");
      label.textContent = file ? `Attached: ${file.name} (${formatSize(file.size)})` : "";
      label.hidden = !file;
    });
    try {
      state.config = await adminGet("/_emulator/playground/config");
      state.seq = state.config.lastEventSeq;
      await loadRenderer();
      await loadPeople();
      await selectPerson(saved().person);
    } catch (error) {
      setConnection("offline", "Emulator unreachable");
      const hint =
        error.status === 403
          ? " The emulator hands out tokens to this machine only; start it with --allow-remote-admin to share it."
          : "";
      showError(`The playground could not start: ${error.message}.${hint}`);
      return;
    }
    $("playground").dataset.ready = "true";
    poll();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
