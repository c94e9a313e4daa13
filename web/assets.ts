// The workspace's stylesheet and its one script, served as is: no front-end build step.
export const CSS = `
:root{--bg:#f6f7f9;--fg:#1d2530;--muted:#667085;--line:#d9dee5;--accent:#1f5fa8;--ok:#1d7a46;--warn:#b35c00;--bad:#b42318;--card:#fff}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
nav{display:flex;gap:18px;align-items:center;padding:10px 20px;background:#17324d;color:#fff}
nav a{color:#d8e4f2;text-decoration:none}nav a.on,nav a:hover{color:#fff;text-decoration:underline}
nav .brand{font-weight:700;color:#fff;margin-right:12px}nav .who{margin-left:auto;color:#b9c8da;font-size:13px}
nav button.link{background:none;border:0;color:#d8e4f2;cursor:pointer;font:inherit;padding:0}
main{padding:18px 22px;max-width:1500px;margin:0 auto}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:22px 0 8px}h3{font-size:14px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line)}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600;font-size:12px;color:#344054;text-transform:uppercase;letter-spacing:.02em}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.mine td:first-child{box-shadow:inset 3px 0 var(--accent)}tr.new{animation:flash 2s}
@keyframes flash{from{background:#fff6c2}to{background:transparent}}
a{color:var(--accent)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;background:#eaecf0;color:#344054}
.sla-on-time,.sla-met{background:#dcfae6;color:var(--ok)}.sla-at-risk{background:#fef0c7;color:var(--warn)}
.sla-late,.sla-missed{background:#fee4e2;color:var(--bad)}.badge.muted{background:#f2f4f7;color:var(--muted)}
.st-needs-review{background:#fef0c7;color:var(--warn)}.st-entered{background:#dcfae6;color:var(--ok)}.st-rejected,.st-cancelled{background:#fee4e2;color:var(--bad)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-right:3px;font-size:12px;background:#fff}
.muted{color:var(--muted)}.small{font-size:12px}.err{color:var(--bad)}.warn{color:var(--warn)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:10px 0 16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .v{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}.card .l{color:var(--muted);font-size:12px}
.card.big{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent) inset}.card.bad .v{color:var(--bad)}.card.warn .v{color:var(--warn)}
.split{display:grid;grid-template-columns:minmax(560px,1.15fr) minmax(420px,1fr);gap:18px;align-items:start}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin-bottom:14px}
.doc iframe.mail{min-height:420px}.doc iframe,.doc img{width:100%;min-height:640px;border:1px solid var(--line);background:#fff}.doc img{min-height:0}
pre{white-space:pre-wrap;word-break:break-word;background:#fbfcfd;border:1px solid var(--line);padding:10px;font:12px/1.5 ui-monospace,Menlo,Consolas,monospace;max-height:720px;overflow:auto}
.seg{display:block}.seg b{color:#7a2e8e}.seg .ln{color:#98a2b3;display:inline-block;width:3.2em}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
input,select,textarea,button{font:inherit}input[type=text],input[type=password],input[type=search],select,textarea{padding:5px 7px;border:1px solid #c4cad3;border-radius:5px;background:#fff}
td input{width:100%;min-width:3.5em;padding:3px 5px}table.lines td{padding:4px 5px}table.lines td.desc input{min-width:9em}.panel{overflow-x:auto}td input.low{background:#fff6e0;border-color:var(--warn)}
button,.btn{padding:6px 12px;border:1px solid #1a4f8c;background:var(--accent);color:#fff;border-radius:5px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent)}button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
.actions{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}.actions form{display:flex;gap:6px;align-items:flex-end}
form.inline{display:inline}.flash{padding:8px 12px;border-radius:6px;margin-bottom:12px}.flash.ok{background:#dcfae6;color:var(--ok)}.flash.err{background:#fee4e2;color:var(--bad)}
.doubt{color:var(--warn);font-size:12px}.anom li{margin:2px 0}
ol.hist{padding-left:18px;margin:0}ol.hist li{margin:3px 0}
.login{max-width:360px;margin:70px auto}.login label{display:block;margin:10px 0 4px}.login input{width:100%}
.live{font-size:12px;color:var(--muted)}.live.on::before{content:"●";color:var(--ok);margin-right:4px}
svg text{font:11px system-ui,sans-serif;fill:#475467}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
figure.sheet{position:relative;margin:0 0 10px;line-height:0}figure.sheet img{display:block}
svg.hl{position:absolute;inset:0;width:100%;height:100%}
svg.hl rect{fill:rgba(31,95,168,.12);stroke:rgba(31,95,168,.75);stroke-width:1.2;vector-effect:non-scaling-stroke;cursor:pointer}
svg.hl rect.low{fill:rgba(224,122,0,.2);stroke:#e07a00;stroke-width:1.6}
svg.hl rect.on{fill:rgba(255,214,0,.38);stroke:#17324d;stroke-width:2.4}
i.hl-ok{background:rgba(31,95,168,.25);border:1px solid rgba(31,95,168,.75)}i.hl-low{background:rgba(224,122,0,.3);border:1px solid #e07a00}
tr[data-hl].on td,dd[data-hl].on{background:#fff3bf}
`;

// Live inbox: the server says "changed" over SSE; the page then fetches its rows again. Without
// EventSource (or when the stream drops) it falls back to polling every 15 s.
export const JS = `
// Order page: a line of the table and its box on the page image light up together; a click on
// one brings the other into view.
(function(){
  var marks=document.querySelectorAll('svg.hl rect[data-hl]');
  if(!marks.length) return;
  function all(key){return document.querySelectorAll('[data-hl="'+key+'"]')}
  function set(key,on){all(key).forEach(function(el){el.classList.toggle('on',on)})}
  document.querySelectorAll('[data-hl]').forEach(function(el){
    var key=el.getAttribute('data-hl'), isMark=el.tagName.toLowerCase()==='rect';
    el.addEventListener('mouseenter',function(){set(key,true)});
    el.addEventListener('mouseleave',function(){set(key,false)});
    el.addEventListener('click',function(e){
      var other=Array.prototype.find.call(all(key),function(x){return (x.tagName.toLowerCase()==='rect')!==isMark});
      if(!other) return;
      if(isMark){e.preventDefault();other.scrollIntoView({block:'center',behavior:'smooth'});var input=other.querySelector('input');if(input)input.focus({preventScroll:true})}
      else if(!(e.target instanceof HTMLInputElement)) other.scrollIntoView({block:'center',behavior:'smooth'});
      set(key,true);setTimeout(function(){set(key,false)},1600);
    });
  });
})();
(function(){
  var box=document.querySelector('[data-live]');
  if(!box) return;
  var url=box.getAttribute('data-live'), badge=document.querySelector('.live');
  function refresh(){
    fetch(url,{headers:{'accept':'text/html'},credentials:'same-origin'}).then(function(r){
      if(r.status===401){location.href='/login';return null}
      return r.ok?r.text():null
    }).then(function(t){
      if(t===null) return;
      var seen={};box.querySelectorAll('tr[data-order]').forEach(function(tr){seen[tr.getAttribute('data-order')]=1});
      box.innerHTML=t;
      box.querySelectorAll('tr[data-order]').forEach(function(tr){if(!seen[tr.getAttribute('data-order')])tr.classList.add('new')});
    });
  }
  var timer=null;
  function poll(){if(!timer)timer=setInterval(refresh,15000)}
  if(window.EventSource){
    var es=new EventSource('/events');
    es.addEventListener('ready',function(){if(badge){badge.classList.add('on');badge.textContent='en direct'}});
    es.addEventListener('changed',refresh);
    es.onerror=function(){if(badge){badge.classList.remove('on');badge.textContent='reconnexion…'}poll()};
  } else poll();
})();
`;
