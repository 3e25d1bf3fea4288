// Feeds page (pages/feeds-page.tsx): a copy button beside each feed address. The address is plain
// text in the page, so without this script, or where the browser keeps the clipboard from pages,
// the reader selects it by hand; the buttons are only added where copying can work.

/** Whether this page may write the clipboard: an API to call, and no refusal known beforehand. */
async function canCopy() {
  if (!navigator.clipboard?.writeText) return false;
  try {
    const permission = await navigator.permissions.query({ name: "clipboard-write" });
    return permission.state !== "denied";
  } catch {
    // A browser that does not name this permission (Firefox, Safari) asks, or allows, on the click.
    return true;
  }
}

function addButton(row) {
  const url = row.querySelector("code").textContent;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Copy";
  button.setAttribute("aria-label", `Copy the address of the ${row.dataset.feedName}`);
  const status = document.createElement("span");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = "Copied.";
    } catch {
      status.textContent = "Copying was refused by the browser; select the address and copy it by hand.";
    }
  });
  row.append(button, status);
}

/** An address as the page writes it: breakable after each "/" (pages/feeds-page.tsx). */
function showUrl(code, url) {
  code.replaceChildren(
    ...url.split(/(?<=\/)(?=[^/])/).flatMap((part, i) => (i > 0 ? [document.createElement("wbr"), part] : [part])),
  );
}

// Built with the default site.baseUrl, the addresses name a server that is not this one (`serve`
// may use any port, and the site's basePath): those of the server the page came from answer.
const preview = document.querySelector("[data-preview-base]");
// (A page opened as a file has no server to name.)
if (preview && /^https?:$/.test(location.protocol)) {
  const built = preview.dataset.previewBase;
  const here = `${location.origin}${document.documentElement.dataset.base ?? "/"}`;
  for (const code of document.querySelectorAll(".feed-url code")) {
    const url = code.textContent;
    if (url.startsWith(built)) showUrl(code, here + url.slice(built.length));
  }
  preview.append(` Shown here: the addresses of this preview, ${location.origin}.`);
}

if (await canCopy()) for (const row of document.querySelectorAll(".feed-url")) addButton(row);
