//! The entity panes: Users, Groups and Roles (a table of every entity of
//! the type), the Account overview, and panes whose rows a registered
//! [`PaneProvider`] builds. Everything they do is the drill-down stack's.

use std::any::Any;

use super::action::Action;
use super::columns::TableKind;
use super::component::{Component, Ctx, Notice, Outcome};
use super::detail::{DetailKind, DetailView, SettingsState};
use super::pane::PaneKind;
use super::provided::{PaneProvider, ProvidedView};
use super::stack::{View, ViewStack};

/// Users, Groups or Roles.
#[derive(Debug)]
pub struct EntityPane {
    kind: PaneKind,
    stack: ViewStack,
}

impl EntityPane {
    /// The pane for `table`'s entities.
    pub fn new(kind: PaneKind, table: TableKind, ctx: &mut Ctx) -> EntityPane {
        EntityPane {
            kind,
            stack: ViewStack::new(View::entity_table(table, ctx)),
        }
    }
}

impl Component for EntityPane {
    fn kind(&self) -> PaneKind {
        self.kind
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        self.stack.handle_action(action, self.kind, ctx)
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        self.stack.notify(&notice, ctx)
    }

    fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        self.stack.set_filter(text, ctx);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The account overview.
#[derive(Debug)]
pub struct AccountPane {
    stack: ViewStack,
}

impl AccountPane {
    pub fn new(ctx: &mut Ctx) -> AccountPane {
        AccountPane {
            stack: ViewStack::new(View::Detail(DetailView::new(
                DetailKind::Account,
                String::new(),
                ctx.data(),
                SettingsState::NotApplicable,
            ))),
        }
    }
}

impl Component for AccountPane {
    fn kind(&self) -> PaneKind {
        PaneKind::Account
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        self.stack.handle_action(action, PaneKind::Account, ctx)
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        self.stack.notify(&notice, ctx)
    }

    fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        self.stack.set_filter(text, ctx);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A pane whose rows a provider builds from each new graph.
pub struct ProviderPane {
    provider: Box<dyn PaneProvider>,
    stack: ViewStack,
}

impl ProviderPane {
    pub fn new(provider: Box<dyn PaneProvider>, ctx: &mut Ctx) -> ProviderPane {
        let table = provider.build(&ctx.data().graph);
        ProviderPane {
            provider,
            stack: ViewStack::new(View::Provided(ProvidedView::new(table))),
        }
    }
}

impl Component for ProviderPane {
    fn kind(&self) -> PaneKind {
        self.provider.kind()
    }

    fn stack(&self) -> &ViewStack {
        &self.stack
    }

    fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Outcome {
        self.stack.handle_action(action, self.provider.kind(), ctx)
    }

    fn notify(&mut self, notice: Notice, ctx: &mut Ctx) -> Outcome {
        if let Notice::Graph { .. } = notice
            && let View::Provided(p) = self.stack.root_mut()
        {
            p.set_table(self.provider.build(&ctx.data().graph));
        }
        self.stack.notify(&notice, ctx)
    }

    fn set_filter(&mut self, text: &str, ctx: &mut Ctx) {
        self.stack.set_filter(text, ctx);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
