//! A loopback proxy that records the requests passing through it, to observe on the wire
//! what reaches a real server. One request per connection: it asks the server to close
//! after answering, relays the answer, then closes.

use std::sync::{Arc, Mutex};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use super::scripted::{read_request, Seen};

pub struct RecordingProxy {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RecordingProxy {
    /// Listens on 127.0.0.1 and forwards to `upstream` (`host:port`).
    pub async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (record, upstream) = (record.clone(), upstream.clone());
                tokio::spawn(async move {
                    let _ = relay(client, &upstream, &record).await;
                });
            }
        });
        Self {
            base_url,
            seen,
            task,
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(
    mut client: TcpStream,
    upstream: &str,
    seen: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    let Some(request) = read_request(&client).await else {
        return Ok(());
    };
    let mut forwarded = format!("{} {} HTTP/1.1\r\n", request.method, request.path);
    for (name, value) in request
        .headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("connection"))
    {
        forwarded.push_str(&format!("{name}: {value}\r\n"));
    }
    forwarded.push_str("Connection: close\r\n\r\n");
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(forwarded.as_bytes()).await?;
    server.write_all(&request.body).await?;
    seen.lock().unwrap().push(request);
    tokio::io::copy(&mut server, &mut client).await?;
    client.shutdown().await
}
