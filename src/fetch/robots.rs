//! robots.txt, fetched once per host (through the same politeness) and cached.

use super::{HostState, Shared};

pub enum Robots {
    AllowAll,
    DisallowAll,
    Rules(Box<texting_robots::Robot>),
}

impl Robots {
    pub fn allowed(&self, url: &str) -> bool {
        match self {
            Robots::AllowAll => true,
            Robots::DisallowAll => false,
            Robots::Rules(r) => r.allowed(url),
        }
    }
}

/// A missing robots.txt (4xx) allows everything; a server error or an unreachable host
/// disallows everything for this run, as the robots.txt standard (RFC 9309) asks.
pub async fn fetch(shared: &Shared, host: &HostState, page: &url::Url) -> Robots {
    let Ok(robots_url) = page.join("/robots.txt") else {
        return Robots::AllowAll;
    };
    let response = shared.polite(host, shared.client.get(robots_url).send()).await;
    let Ok(response) = response else {
        return Robots::DisallowAll;
    };
    let status = response.status().as_u16();
    if (400..500).contains(&status) {
        return Robots::AllowAll;
    }
    if status >= 500 {
        return Robots::DisallowAll;
    }
    match response.bytes().await {
        Ok(body) => match texting_robots::Robot::new(&shared.opts.user_agent, &body) {
            Ok(robot) => Robots::Rules(Box::new(robot)),
            Err(_) => Robots::AllowAll,
        },
        Err(_) => Robots::DisallowAll,
    }
}
