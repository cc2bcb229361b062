//! A loopback HTTP server that answers from a script, one step per request, and records
//! what arrived and when: for retries, timeouts and faults, where the test needs to count
//! attempts and shape each answer. It closes the connection after every answer.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// How to answer one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A response: status, headers, body (a `Content-Length` is added).
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait, then answer.
    After(Duration, Box<Reply>),
    /// Close the connection without answering.
    Close,
    /// Send these bytes as they are, then end as `then` says.
    Raw(Vec<u8>, End),
}

/// How a raw answer ends.
#[derive(Clone, Copy, Debug)]
pub enum End {
    /// A normal close.
    Close,
    /// A TCP reset (RST), as a crashed server or a proxy killing the connection.
    Reset,
    /// Keep the connection open and send nothing more.
    Hang,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Reply::Respond {
            status,
            headers: vec![],
            body: vec![],
        }
    }

    pub fn json(status: u16, body: &str) -> Self {
        Reply::Respond {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A recorded real response, replayed now.
    pub fn recorded(name: &str) -> Self {
        Self::replaying(&super::fixtures::replayed(name))
    }

    /// A replayed response, as it is.
    pub fn replaying(r: &super::fixtures::Recording) -> Self {
        Reply::Respond {
            status: r.status(),
            headers: r.headers().to_vec(),
            body: r.body().to_vec(),
        }
    }

    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Reply::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Respond {
                    status,
                    headers,
                    body,
                }
            }
            other => other,
        }
    }

    pub fn after(self, delay: Duration) -> Self {
        Reply::After(delay, Box::new(self))
    }
}

/// A request as it arrived.
#[derive(Clone, Debug)]
pub struct Seen {
    pub at: Instant,
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value sent for `name`.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

pub struct Scripted {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Scripted {
    /// Answers the n-th request with `script[n]`, and every request past the end with the
    /// last step.
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let record = record.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&stream).await else {
                        return;
                    };
                    let index = {
                        let mut seen = record.lock().unwrap();
                        seen.push(request);
                        seen.len() - 1
                    };
                    let reply = script
                        .get(index)
                        .or(script.last())
                        .cloned()
                        .unwrap_or(Reply::status(500));
                    let _ = answer(stream, reply).await;
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

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head and `Content-Length` body) from `stream`.
pub async fn read_request(stream: &TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let head_end = loop {
        stream.readable().await.ok()?;
        let mut chunk = [0u8; 4096];
        match stream.try_read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return None,
        }
        if buffer.len() > 1 << 20 {
            return None;
        }
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        stream.readable().await.ok()?;
        let mut chunk = [0u8; 4096];
        match stream.try_read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return None,
        }
    }
    let body = buffer[head_end..].to_vec();
    Some(Seen {
        at,
        method,
        path,
        headers,
        body,
    })
}

async fn answer(mut stream: TcpStream, reply: Reply) -> std::io::Result<()> {
    let mut reply = reply;
    while let Reply::After(delay, next) = reply {
        tokio::time::sleep(delay).await;
        reply = *next;
    }
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} Scripted\r\n");
            for (name, value) in &headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ));
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Reply::Raw(bytes, end) => {
            stream.write_all(&bytes).await?;
            stream.flush().await?;
            match end {
                End::Close => stream.shutdown().await,
                // Linger 0 makes the close send an RST at once; it does not block here,
                // which is what the deprecation warns about.
                #[allow(deprecated)]
                End::Reset => stream.set_linger(Some(Duration::ZERO)),
                End::Hang => {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    Ok(())
                }
            }
        }
        Reply::Close | Reply::After(..) => Ok(()),
    }
}
