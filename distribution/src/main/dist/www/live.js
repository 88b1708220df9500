'use strict';
// The sample site's live page. Each stream is an EventSource; what arrives is kept in window.plinth as well as
// shown, and each change is announced with a 'plinth-live' event on window (the distribution's browser test
// waits on it).
window.plinth = { demo: [], bundles: [], gaps: 0, opened: 0 };

const SHOWN = 50;
const BUNDLE_EVENTS = ['INSTALLED', 'RESOLVED', 'STARTING', 'STARTED', 'STOPPING', 'STOPPED', 'UPDATED',
  'UNRESOLVED', 'UNINSTALLED', 'LAZY_ACTIVATION'];

function announce() {
  window.dispatchEvent(new Event('plinth-live'));
}

function show(list, text) {
  const item = document.createElement('li');
  item.textContent = text;
  list.prepend(item);
  while (list.children.length > SHOWN) {
    list.lastElementChild.remove();
  }
}

function follow(name, types, describe) {
  const source = new EventSource('/events/' + name);
  const status = document.getElementById(name + '-status');
  const list = document.getElementById(name);
  source.addEventListener('open', () => {
    window.plinth.opened++;
    status.textContent = 'open';
    announce();
  });
  source.addEventListener('error', () => {
    status.textContent = source.readyState === EventSource.CONNECTING ? 'reconnecting…' : 'closed';
    announce();
  });
  const receive = (event) => {
    window.plinth[name].push({ id: event.lastEventId, type: event.type, data: event.data });
    show(list, describe(event));
    announce();
  };
  types.forEach((type) => source.addEventListener(type, receive));
  // the server says so when this page was too slow and older events were dropped
  source.addEventListener('plinth-gap', (event) => {
    window.plinth.gaps++;
    show(list, '(some events were missed: ' + event.data + ')');
    announce();
  });
  return source;
}

follow('demo', ['message'], (event) => event.data);

follow('bundles', BUNDLE_EVENTS.map((type) => 'org/osgi/framework/BundleEvent/' + type), (event) => {
  let bundle = {};
  try {
    bundle = JSON.parse(event.data);
  } catch (notJson) {
    return event.type + ' ' + event.data;
  }
  const what = event.type.substring(event.type.lastIndexOf('/') + 1).toLowerCase();
  return (bundle['bundle.symbolicName'] || 'bundle ' + bundle['bundle.id']) + ' ' + what;
});

document.getElementById('say').addEventListener('submit', (submitted) => {
  submitted.preventDefault();
  const text = document.getElementById('text');
  fetch('/channels/demo', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: text.value,
  }).then((response) => {
    if (response.ok) {
      text.value = '';
    } else {
      show(document.getElementById('demo'), '(not sent: ' + response.status + ')');
    }
  });
});
