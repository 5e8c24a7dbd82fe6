// cafio chat: the browser side of the demo app (tools/cafio-node/demo_app.cpp).
// Plain JavaScript, no build step; `io` comes from /socket.io/socket.io.js,
// which cafio-node serves.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const ui = {
    login: $("login"),
    loginForm: $("login-form"),
    nickname: $("nickname"),
    loginError: $("login-error"),
    roomList: $("room-list"),
    newRoomForm: $("new-room-form"),
    newRoom: $("new-room"),
    memberList: $("member-list"),
    memberCount: $("member-count"),
    meAvatar: $("me-avatar"),
    meName: $("me-name"),
    status: $("status"),
    statusText: $("status-text"),
    roomTitle: $("room-title"),
    roomSub: $("room-sub"),
    leave: $("leave-button"),
    messages: $("messages"),
    typing: $("typing"),
    composer: $("composer"),
    input: $("message-input"),
    send: $("send-button"),
    image: $("image-input"),
    toast: $("toast"),
  };

  const state = {
    nickname: "", // accepted by the server
    room: "", // the room joined
    maxImageBytes: 0,
    rooms: [], // [{name, members}]
    members: new Map(), // room -> [{id, nickname}], as last pushed
    history: new Map(), // room -> [message element]
    typers: new Map(), // socket id -> {nickname, timer}
    typingSent: 0, // when "typing" true was last sent
    typingTimer: 0,
  };

  // The Engine.IO path is where the node serves the client bundle from
  // (index.html names it; cafio-node rewrites it for --path).
  const bundle = document.querySelector('script[src$="socket.io.js"]').getAttribute("src");
  const socket = io({ path: bundle.replace(/socket\.io\.js$/, ""), autoConnect: false });

  // -- helpers ---------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Avatar colours that keep white initials readable.
  const PALETTE = ["#7c5cff", "#1098ad", "#e8590c", "#d6336c", "#0ca678", "#4263eb", "#ae3ec9", "#5f3dc4"];
  function colorOf(name) {
    let h = 0;
    for (const c of name) h = (h * 31 + c.codePointAt(0)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }

  function avatar(name, large) {
    const a = el("span", large ? "avatar large" : "avatar", [...name][0] || "?");
    a.style.background = colorOf(name);
    return a;
  }

  function clock(at) {
    const t = el("time", "", new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    t.dateTime = new Date(at).toISOString();
    return t;
  }

  function formatBytes(n) {
    return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
  }

  let toastTimer = 0;
  function toast(text) {
    ui.toast.textContent = text;
    ui.toast.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => ui.toast.classList.remove("show"), 3500);
  }

  /** Emits with an ack, bounded: resolves with the answer or {error}. */
  function request(event, ...args) {
    return socket
      .timeout(5000)
      .emitWithAck(event, ...args)
      .catch(() => ({ error: "the server did not answer" }));
  }

  // -- rendering -------------------------------------------------------------

  function renderRooms() {
    ui.roomList.replaceChildren(
      ...state.rooms.map(({ name, members }) => {
        const li = el("li");
        li.dataset.room = name;
        if (name === state.room) li.classList.add("active");
        const b = el("button");
        b.type = "button";
        b.append(el("span", "hash", "#"), el("span", "name", name), el("span", "badge", String(members)));
        b.addEventListener("click", () => join(name));
        li.append(b);
        return li;
      }),
    );
  }

  const membersHere = () => (state.room && state.members.get(state.room)) || [];

  function renderMembers() {
    ui.memberCount.textContent = state.room ? String(membersHere().length) : "";
    ui.memberList.replaceChildren(
      ...membersHere().map(({ id, nickname }) => {
        const li = el("li");
        li.dataset.id = id;
        if (id === socket.id) li.classList.add("me");
        li.append(avatar(nickname), el("span", "member-name", nickname));
        li.append(state.typers.has(id) ? el("span", "typing-dot", "typing…") : el("span", "presence"));
        return li;
      }),
    );
  }

  function renderHeader() {
    const joined = Boolean(state.room);
    ui.roomTitle.textContent = joined ? `# ${state.room}` : "# —";
    const n = membersHere().length;
    ui.roomSub.textContent = joined ? `${n} member${n === 1 ? "" : "s"} · messages go to everyone in the room` : "Pick a room on the left";
    ui.leave.disabled = !joined;
    ui.input.disabled = ui.send.disabled = !joined;
    ui.input.placeholder = joined ? `Message #${state.room}` : "Join a room to chat";
    document.title = joined ? `#${state.room} · cafio chat` : "cafio chat";
  }

  function renderTyping() {
    const names = [...state.typers.values()].map((t) => t.nickname);
    ui.typing.textContent =
      names.length === 0 ? "" : names.length === 1 ? `${names[0]} is typing…` : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : "Several people are typing…";
    renderMembers();
  }

  function renderMessages() {
    ui.messages.replaceChildren(...(state.history.get(state.room) || []));
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function add(room, node) {
    if (!state.history.has(room)) state.history.set(room, []);
    state.history.get(room).push(node);
    if (room === state.room) {
      const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 80;
      ui.messages.append(node);
      if (atBottom || node.classList.contains("mine")) ui.messages.scrollTop = ui.messages.scrollHeight;
    }
  }

  function messageShell(m) {
    const li = el("li", "message");
    if (m.id === socket.id) li.classList.add("mine");
    const body = el("div", "body");
    const meta = el("div", "meta");
    meta.append(el("span", "from", m.from), clock(m.at));
    body.append(meta);
    li.append(avatar(m.from, true), body);
    return { li, body };
  }

  // -- server events ---------------------------------------------------------

  socket.on("rooms", (rooms) => {
    state.rooms = rooms;
    renderRooms();
  });

  socket.on("members", ({ room, members }) => {
    // Kept even if the join's answer is still on its way.
    state.members.set(room, members);
    if (room !== state.room) return;
    renderMembers();
    renderHeader();
  });

  socket.on("chat", (m) => {
    const { li, body } = messageShell(m);
    li.classList.add("chat");
    body.append(el("div", "text", m.text));
    add(m.room, li);
    clearTyper(m.id);
  });

  socket.on("image", (m) => {
    // The bytes arrive as an ArrayBuffer: the event's binary attachment.
    const { li, body } = messageShell(m);
    li.classList.add("image");
    const figure = el("figure");
    const img = el("img", "shared-image");
    img.alt = m.name;
    img.src = URL.createObjectURL(new Blob([m.data], { type: m.type }));
    figure.append(img, el("figcaption", "", `${m.name} · ${formatBytes(m.size)}`));
    body.append(figure);
    add(m.room, li);
  });

  socket.on("system", (m) => {
    const li = el("li", `system ${m.kind}`);
    if (m.reason) li.dataset.reason = m.reason;
    li.append(el("span", "text", m.text), clock(m.at));
    add(m.room, li);
  });

  function clearTyper(id) {
    const t = state.typers.get(id);
    if (!t) return;
    clearTimeout(t.timer);
    state.typers.delete(id);
    renderTyping();
  }

  socket.on("typing", ({ id, nickname, typing }) => {
    clearTyper(id);
    if (!typing) return;
    // A typer that goes quiet without saying so is dropped after a while.
    state.typers.set(id, { nickname, timer: setTimeout(() => clearTyper(id), 5000) });
    renderTyping();
  });

  // -- connection ------------------------------------------------------------

  function setStatus(kind, text) {
    ui.status.className = `status ${kind}`;
    ui.statusText.textContent = text;
  }

  socket.on("connect", async () => {
    const transport = () => socket.io.engine.transport.name;
    setStatus("online", `connected · ${transport()}`);
    socket.io.engine.once("upgrade", () => setStatus("online", `connected · ${transport()}`));
    // After a reconnection the server has a new socket: name it and rejoin.
    if (state.nickname) {
      const room = state.room;
      state.room = "";
      const ok = await claim(state.nickname);
      if (ok && room) await join(room);
    }
  });

  socket.on("disconnect", (reason) => {
    setStatus("offline", `disconnected · ${reason}`);
    // The server let go on purpose (e.g. it restarted): socket.io-client
    // does not reconnect on its own after that, so come back a bit later.
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 2000);
    state.typers.forEach((t) => clearTimeout(t.timer));
    state.typers.clear();
    renderTyping();
  });

  socket.io.on("reconnect_attempt", (n) => setStatus("", `reconnecting (attempt ${n})…`));

  // -- user actions ----------------------------------------------------------

  async function claim(nickname) {
    const answer = await request("nickname", nickname);
    if (answer.error) {
      state.nickname = "";
      ui.login.hidden = false;
      ui.loginError.textContent = answer.error;
      ui.nickname.focus();
      return false;
    }
    state.nickname = answer.nickname;
    state.maxImageBytes = answer.maxImageBytes;
    try {
      localStorage.setItem("cafio-nickname", answer.nickname);
    } catch {}
    ui.login.hidden = true;
    ui.loginError.textContent = "";
    ui.meName.textContent = answer.nickname;
    const badge = avatar(answer.nickname);
    badge.id = "me-avatar";
    ui.meAvatar.replaceWith(badge);
    ui.meAvatar = badge;
    return true;
  }

  async function join(room) {
    const answer = await request("join", room);
    if (answer.error) return toast(answer.error);
    if (answer.room !== state.room) {
      if (state.room) state.members.delete(state.room);
      state.room = answer.room;
      state.typers.forEach((t) => clearTimeout(t.timer));
      state.typers.clear();
      ui.typing.textContent = "";
      renderMessages();
    }
    history.replaceState(null, "", `#${answer.room}`);
    renderRooms();
    renderMembers();
    renderHeader();
    ui.input.focus();
  }

  ui.loginForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    ui.loginError.textContent = "";
    if (!socket.connected) socket.connect();
    if (!socket.connected) await new Promise((res) => socket.once("connect", res));
    if (state.nickname) return;
    const ok = await claim(ui.nickname.value);
    if (ok) await join(decodeURIComponent(location.hash.slice(1)) || "general");
  });

  ui.newRoomForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = ui.newRoom.value.trim().toLowerCase().replace(/\s+/g, "-");
    if (!name) return;
    await join(name);
    ui.newRoom.value = "";
  });

  ui.leave.addEventListener("click", async () => {
    const answer = await request("leave");
    if (answer.error) return toast(answer.error);
    state.members.delete(state.room);
    state.room = "";
    history.replaceState(null, "", location.pathname);
    renderMessages();
    renderRooms();
    renderMembers();
    renderHeader();
  });

  function stopTyping() {
    clearTimeout(state.typingTimer);
    if (state.typingSent) {
      state.typingSent = 0;
      socket.emit("typing", false);
    }
  }

  ui.input.addEventListener("input", () => {
    if (!state.room) return;
    if (!ui.input.value) return stopTyping();
    // At most one "typing" every 2 s; "stopped" after 3 s without a key.
    if (Date.now() - state.typingSent > 2000) {
      state.typingSent = Date.now();
      socket.emit("typing", true);
    }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(stopTyping, 3000);
  });

  ui.composer.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = ui.input.value.trim();
    if (!text || !state.room) return;
    ui.input.value = "";
    stopTyping();
    const answer = await request("chat", text);
    if (answer.error) {
      toast(answer.error);
      ui.input.value = text;
    }
  });

  ui.image.addEventListener("change", async () => {
    const file = ui.image.files[0];
    ui.image.value = "";
    if (!file || !state.room) return;
    if (file.size > state.maxImageBytes) return toast(`${file.name} is ${formatBytes(file.size)}; images up to ${formatBytes(state.maxImageBytes)} can be shared`);
    // An ArrayBuffer goes out as a binary attachment, not as base64.
    const answer = await request("image", { name: file.name, data: await file.arrayBuffer() });
    if (answer.error) toast(answer.error);
  });

  // -- start -----------------------------------------------------------------

  try {
    ui.nickname.value = localStorage.getItem("cafio-nickname") || "";
  } catch {}
  renderHeader();
  socket.connect();
  ui.nickname.focus();
})();
