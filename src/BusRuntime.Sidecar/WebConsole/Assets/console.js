// The console's only script: a confirmation for the forms that ask for one, and the live follow of the messages
// table, which pauses while the operator reads it (pointer on it, focus in it, or text selected).
document.addEventListener('submit', (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

const follow = document.getElementById('follow');
if (follow) {
  const rows = document.getElementById('messages-rows');
  const status = document.getElementById('follow-status');
  const table = rows.closest('table');
  const reading = () => table.matches(':hover') || table.contains(document.activeElement) || !document.getSelection().isCollapsed;
  let timer = null;
  const poll = async () => {
    if (reading()) {
      status.textContent = 'Paused while you read the table';
      return;
    }
    try {
      const response = await fetch(follow.dataset.rows, { headers: { accept: 'text/html' } });
      if (response.ok) {
        rows.innerHTML = await response.text();
        status.textContent = 'Following: updated at ' + new Date().toLocaleTimeString();
      } else {
        status.textContent = 'Not updated: the console answered ' + response.status + '; reload the page';
      }
    } catch {
      status.textContent = 'Not updated: the console does not answer';
    }
  };
  follow.addEventListener('change', () => {
    clearInterval(timer);
    timer = follow.checked ? setInterval(poll, 2000) : null;
    status.textContent = follow.checked ? 'Following' : '';
    if (follow.checked) {
      poll();
    }
  });
}
